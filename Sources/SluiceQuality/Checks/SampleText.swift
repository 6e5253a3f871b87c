import Foundation
import SluiceCore

/// A sample that shows a key as the checks compare it (`1700000000000000` for a timestamp, parts joined for a
/// composite key) until the file's own text for it is read back: which sample, and which columns to read.
struct PendingText {
    var slot: Int
    var index: Int
    var file: Int
    var line: Int64
    var columns: [Int]
}

/// Reads back, after the pass, the text of a few fields of a few records: the samples of checks that compare
/// typed keys (`unique`, `references`) show what the file holds, not the key they were compared by. Only
/// sampled records are read (at most the sample limit per check), so the main pass keeps nothing per row.
struct SampleText {
    let contract: CompiledContract
    let format: DataFormat
    let delimiter: UInt8
    let maxRecordBytes: Int

    /// The text of `columns` in each record that starts on one of `lines` (line 1 is the first of the file).
    func fields(_ source: any ByteSource, lines: Set<Int64>, columns: Set<Int>) throws -> [Int64: [Int: String]] {
        let starts = try lineStarts(source, lines)
        var positions: [Int: Int] = [:]
        if format == .csv {
            let header = try CSVHeader.read(source, delimiter: delimiter, maxRecordBytes: maxRecordBytes)
            for column in columns {
                positions[column] = header.names.firstIndex(of: contract.columns[column].spec.name)
            }
        }
        var found: [Int64: [Int: String]] = [:]
        for (line, start) in starts {
            var size = min(64 << 10, source.size - start)
            while true {
                var bytes = [UInt8](repeating: 0, count: size)
                let count = try bytes.withUnsafeMutableBytes { try source.readFully(at: start, into: $0) }
                let atEOF = start + count >= source.size || size >= maxRecordBytes
                if let fields = record(bytes, count: count, atEOF: atEOF, columns: columns, positions: positions) {
                    found[line] = fields
                    break
                }
                if atEOF { break }
                size = min(size * 4, maxRecordBytes, source.size - start)
            }
        }
        return found
    }

    /// The fields of the record at the start of `bytes`, or `nil` when more bytes are needed.
    private func record(
        _ bytes: [UInt8], count: Int, atEOF: Bool, columns: Set<Int>, positions: [Int: Int]
    ) -> [Int: String]? {
        switch format {
        case .csv:
            let parser = CSVRecordParser(delimiter: delimiter)
            return bytes.withUnsafeBytes { buffer -> [Int: String]? in
                guard case .record = parser.parse(buffer.baseAddress!, from: 0, end: count, atEOF: atEOF) else {
                    return atEOF ? [:] : nil
                }
                var fields: [Int: String] = [:]
                var scratch: [UInt8] = []
                for column in columns {
                    guard let position = positions[column], position < parser.fieldCount else { continue }
                    let raw = parser.rawField(buffer.baseAddress!, position)
                    if parser.isEscaped(position) {
                        CSVRecordParser.unescape(raw, into: &scratch)
                        fields[column] = String(decoding: scratch, as: UTF8.self)
                    } else {
                        fields[column] = String(decoding: raw, as: UTF8.self)
                    }
                }
                return fields
            }
        case .jsonl:
            guard let end = bytes[0..<count].firstIndex(of: UInt8(ascii: "\n")) ?? (atEOF ? count : nil) else {
                return nil
            }
            let object = (try? JSONSerialization.jsonObject(with: Data(bytes[0..<end]))) as? [String: Any] ?? [:]
            var fields: [Int: String] = [:]
            for column in columns {
                let text = JSONLinesReader.text(of: object[contract.columns[column].spec.name])
                fields[column] = text.map { String(decoding: $0, as: UTF8.self) }
            }
            return fields
        }
    }

    /// Where each of `lines` starts: just after the line break before it.
    private func lineStarts(_ source: any ByteSource, _ lines: Set<Int64>) throws -> [Int64: Int] {
        var starts: [Int64: Int] = [:]
        if lines.contains(1) { starts[1] = 0 }
        guard let last = lines.max(), last > 1 else { return starts }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 16)
        defer { buffer.deallocate() }
        var offset = 0
        var line: Int64 = 1
        while line < last {
            let count = try source.read(at: offset, into: buffer)
            if count == 0 { break }
            var position = 0
            while line < last, position < count,
                let found = memchr(buffer.baseAddress! + position, Int32(UInt8(ascii: "\n")), count - position)
            {
                position = buffer.baseAddress!.distance(to: UnsafeMutableRawPointer(found)) + 1
                line += 1
                if lines.contains(line) { starts[line] = offset + position }
            }
            offset += count
        }
        return starts
    }
}
