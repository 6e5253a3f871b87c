import Foundation
import SluiceStore
import Testing

@testable import SluiceCore

@Suite struct SnapshotterTests {
    /// Records by a plain, sequential reading of the CSV rules: line breaks outside quotes.
    func expectedRows(_ text: String, csv: Bool) -> Int64 {
        var inQuotes = false
        var lines: Int64 = 0
        for byte in text.utf8 {
            if csv && byte == UInt8(ascii: "\"") { inQuotes.toggle() }
            if byte == UInt8(ascii: "\n") && !inQuotes { lines += 1 }
        }
        if let last = text.utf8.last, last != UInt8(ascii: "\n") { lines += 1 }
        return csv ? max(0, lines - 1) : lines
    }

    func rows(_ text: String, pieceSize: Int, format: DataFormat) -> Int64 {
        let bytes = Array(text.utf8)
        var stats: [ChunkStats] = []
        var offset = 0
        repeat {
            let end = min(bytes.count, offset + pieceSize)
            stats.append(bytes[offset..<end].withUnsafeBytes { ChunkScanner.scan($0, quotes: format == .csv) })
            offset = end
        } while offset < bytes.count
        return ChunkScanner.rows(of: stats, format: format)
    }

    @Test(arguments: [1, 7, 63, 64, 65, 200, 4096])
    func rowCountsDoNotDependOnWhereFilesAreCut(_ pieceSize: Int) {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<20 {
            var text = "id,note\n"
            for row in 0..<Int.random(in: 0..<300, using: &generator) {
                switch Int.random(in: 0..<4, using: &generator) {
                case 0: text += "\(row),\"multi\nline \"\"quoted\"\" field\"\n"
                case 1:
                    text += "\(row),\(String(repeating: "x", count: Int.random(in: 0..<150, using: &generator)))\r\n"
                default: text += "\(row),plain\n"
                }
            }
            if Bool.random(using: &generator) { text += "last,unterminated" }
            #expect(rows(text, pieceSize: pieceSize, format: .csv) == expectedRows(text, csv: true))
            #expect(rows(text, pieceSize: pieceSize, format: .jsonl) == expectedRows(text, csv: false))
        }
    }

    @Test func emptyAndHeaderOnlyFiles() {
        #expect(rows("", pieceSize: 64, format: .csv) == 0)
        #expect(rows("a,b\n", pieceSize: 64, format: .csv) == 0)
        #expect(rows("a,b", pieceSize: 64, format: .csv) == 0)
        #expect(rows("{\"a\":1}", pieceSize: 64, format: .jsonl) == 1)
    }

    @Test func headersAreRead() {
        let csv = Array("\u{FEFF}id,\"na,me\",\"say \"\"hi\"\"\"\r\n1,2,3\n".utf8)
        #expect(
            csv.withUnsafeBytes { HeaderReader.columns($0, format: .csv, delimiter: UInt8(ascii: ",")) } == [
                "id", "na,me", "say \"hi\"",
            ])
        let tsv = Array("a\tb\n".utf8)
        #expect(
            tsv.withUnsafeBytes { HeaderReader.columns($0, format: .csv, delimiter: UInt8(ascii: "\t")) } == ["a", "b"])
        let json = Array("{\"b\":1,\"a\":2}\n".utf8)
        #expect(json.withUnsafeBytes { HeaderReader.columns($0, format: .jsonl, delimiter: 0) } == ["a", "b"])
    }

    @Test func largeFilesAreChunkedAndReassembleExactly() async throws {
        let folder = try TemporaryProject()
        var text = "id,value\n"
        for row in 0..<5_000 { text += "\(row),\"v\n\(row)\"\n" }
        try folder.write("big.csv", text)
        try folder.write("empty.csv", "")
        let objects = InMemoryObjectStore()
        let result = try await Snapshotter(objects: objects, files: LocalFileSource(), parallelism: 3, chunkSize: 1000)
            .stage(
                [
                    .init(url: folder.root.appendingPathComponent("big.csv"), name: "big.csv"),
                    .init(url: folder.root.appendingPathComponent("empty.csv"), name: "empty.csv"),
                ], format: .csv, delimiter: UInt8(ascii: ","))
        #expect(result.files[0].chunks.count == (text.utf8.count + 999) / 1000)
        #expect(result.files[0].rows == 5_000)
        #expect(result.files[0].bytes == Int64(text.utf8.count))
        #expect(result.files[1].rows == 0 && result.files[1].chunks.count == 1)
        #expect(result.schema == ["id", "value"])
        #expect(try await objects.allObjects().isEmpty, "nothing is visible before publish")
        try await objects.publish(result.staged)
        var joined = Data()
        for chunk in result.files[0].chunks { joined.append(try await objects.read(chunk.object)) }
        #expect(joined == Data(text.utf8))
    }

    /// Each CSV file's header, kept by the snapshot pass, is what reading its first staged piece again gives
    /// (the column aligner's other way), for files in shuffled column orders, a quoted name and an empty file.
    @Test func theHeadersKeptWhileStagingAreTheHeadersReadBack() async throws {
        let folder = try TemporaryProject(files: [:])
        var inputs: [Snapshotter.Input] = []
        var generator = SystemRandomNumberGenerator()
        let columns = ["id", "\"amount, eur\"", "note", "when"]
        for index in 0..<12 {
            let header = index == 5 ? "" : columns.shuffled(using: &generator).joined(separator: ",") + "\n"
            let body =
                index == 5 ? "" : (0..<Int.random(in: 0..<40, using: &generator)).map { "\($0),1,x,y\n" }.joined()
            try folder.write("f\(index).csv", header + body)
            inputs.append(.init(url: folder.root.appendingPathComponent("f\(index).csv"), name: "f\(index).csv"))
        }
        let objects = InMemoryObjectStore()
        for chunkSize in [64, 1000] {
            let result = try await Snapshotter(objects: objects, files: LocalFileSource(), chunkSize: chunkSize)
                .stage(inputs, format: .csv, delimiter: UInt8(ascii: ","))
            var unknown = result
            unknown.headers = []
            let read = try await ColumnAligner(objects: objects).headers(unknown, delimiter: UInt8(ascii: ","))
            #expect(result.headers.count == inputs.count)
            #expect(try await ColumnAligner(objects: objects).headers(result, delimiter: UInt8(ascii: ",")) == read)
            #expect(result.headers[5].isEmpty && !result.headers[0].isEmpty)
        }
    }
}
