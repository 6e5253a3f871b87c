import Foundation
import SluiceStore
import SluiceTestSupport
import Testing

@testable import SluiceCore

/// Issue 11 item 9: with `quarantine_rows`, a file with invalid rows lands exactly as the same file without
/// them would: every valid row byte for byte (line endings, quoting, byte order mark and header included),
/// the same version. And item 14: only the stored pieces that held an invalid record are written again.
@Suite struct LandsAsWrittenTests {
    func harness() throws -> Harness {
        var files = Fixture.files
        // A snapshot source: its versions are its data alone (an append source's also name its deliveries).
        files["sluice.yaml"] = Fixture.projectYAML.replacingOccurrences(
            of: "into: raw.orders }", with: "into: raw.orders, mode: snapshot }"
        ).replacingOccurrences(
            of: "      amount: { type: decimal, min: 0 }\n",
            with:
                "      amount: { type: decimal, min: 0 }\n    on_invalid: quarantine_rows\n    max_invalid_ratio: 0.9\n"
        )
        return try Harness(files: files)
    }

    /// A clean file and the same file with bad records put between its rows.
    static func files(seed: UInt64) -> (clean: String, dirty: String, bad: Int) {
        var generator = SplitMix(seed: seed)
        func pick(_ count: Int) -> Int { Int(generator.next() % UInt64(count)) }
        let end = pick(2) == 0 ? "\n" : "\r\n"
        let amounts = ["10.50", "+3", "1e2", "\"7\"", "0", "12345678901234567890.5"]
        // Issue 22 item 6: bad records whose last field is quoted, before CRLF too.
        let bads = ["x,1", "-1,-5", "\"bad\(end)id\",1", "9", "1,1,1", "5,abc", "1,\"-5\"", "5,\"abc\""]
        let rows = (1...(5 + pick(30))).map { "\($0 * 10),\(amounts[pick(amounts.count)])" }
        let header = (pick(2) == 0 ? "\u{FEFF}" : "") + "order_id,amount"
        let finalBreak = pick(2) == 0
        var clean = ([header] + rows).joined(separator: end) + (finalBreak ? end : "")
        var dirty = [header]
        var bad = 0
        for row in rows {
            while pick(3) == 0 {
                dirty.append(bads[pick(bads.count)])
                bad += 1
            }
            dirty.append(row)
        }
        var text = dirty.joined(separator: end) + (finalBreak ? end : "")
        if finalBreak && pick(2) == 0 {
            // A bad record last, without a line break of its own.
            text += "10,1"
            bad += 1
        }
        if bad == 0 {
            text = header + end + "x,1" + end + rows.joined(separator: end) + (finalBreak ? end : "")
            bad = 1
        }
        clean = clean.isEmpty ? header : clean
        return (clean, text, bad)
    }

    @Test(arguments: 1...24)
    func aFileWithBadRowsLandsAsTheCleanFile(seed: UInt64) async throws {
        let (clean, dirty, bad) = Self.files(seed: seed)
        let cleanStore = try harness()
        try cleanStore.writeLanding("a.csv", clean)
        let first = try await cleanStore.workspace("alice").ingest(source: "orders_drop", environment: "dev")
        #expect(first.quarantined == nil)
        let dirtyStore = try harness()
        try dirtyStore.writeLanding("a.csv", dirty)
        let alice = dirtyStore.workspace("alice")
        let second = try await alice.ingest(source: "orders_drop", environment: "dev")
        #expect(second.report.invalidRows == Int64(bad), "seed \(seed)")
        var landed = Data()
        try await alice.cat("raw.orders", in: "dev") { landed.append(contentsOf: $0) }
        #expect(landed == Data(clean.utf8), "seed \(seed): \(String(decoding: landed, as: UTF8.self).debugDescription)")
        #expect(second.version == first.version, "seed \(seed): the same version")
    }

    /// Pieces that hold no invalid record are the staged objects themselves; the rest are copies of the
    /// byte ranges around the records cut out.
    @Test func onlyPiecesWithABadRecordAreWrittenAgain() async throws {
        let objects = InMemoryObjectStore()
        let folder = try TemporaryProject(files: [
            "a.csv": "h\n" + (0..<40).map { "row\($0)" }.joined(separator: "\n") + "\n"
        ])
        let snapshot = try await Snapshotter(objects: objects, files: LocalFileSource(), chunkSize: 64).stage(
            [.init(url: folder.root.appendingPathComponent("a.csv"), name: "a.csv")], format: .csv,
            delimiter: UInt8(ascii: ","))
        let text = try String(contentsOf: folder.root.appendingPathComponent("a.csv"), encoding: .utf8)
        let bytes = Array(text.utf8)
        // Cut row7 (inside the first piece) and row30 ... row32 (across a piece boundary).
        func span(_ from: String, _ to: String) -> Range<Int> {
            let start = text.range(of: from)!.lowerBound.utf16Offset(in: text)
            let end = text.range(of: to + "\n")!.upperBound.utf16Offset(in: text)
            return start..<end
        }
        let cuts = [span("row7\n", "row7"), span("row30\n", "row32")]
        let result = try await RecordCutter(objects: objects).cut([cuts], from: snapshot)
        var expected = bytes
        for cut in cuts.reversed() { expected.removeSubrange(cut) }
        var landed: [UInt8] = []
        for chunk in result.files[0].chunks {
            let object = try #require(result.staged.first { $0.id == chunk.object })
            landed += Array(try await objects.readStaged(object))
        }
        #expect(landed == expected)
        let original = Set(snapshot.files[0].chunks.map(\.object))
        let reused = result.files[0].chunks.filter { original.contains($0.object) }.count
        let touched = Set(cuts.flatMap { [$0.lowerBound / 64, ($0.upperBound - 1) / 64] }).count
        #expect(reused == snapshot.files[0].chunks.count - touched, "every untouched piece is reused")
        #expect(result.files[0].rows == snapshot.files[0].rows - 2)
    }

    @Test func rangesAreMergedAndSubtracted() {
        #expect(RecordCutter.merged([5..<7, 0..<2, 2..<3, 6..<9]) == [0..<3, 5..<9])
        #expect(RecordCutter.subtract([0..<3, 5..<9], from: 2..<12) == [3..<5, 9..<12])
        #expect(RecordCutter.subtract([0..<20], from: 2..<12) == [])
        #expect(RecordCutter.subtract([], from: 2..<12) == [2..<12])
    }
}
