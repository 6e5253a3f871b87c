import Foundation
import SluiceCore
import SluiceTestSupport
import Testing

@testable import SluiceQuality

@Suite struct ReaderTests {
    struct Row: Equatable {
        var line: Int64
        var fields: [String]
        var problem: RowProblem?
    }

    func csv(_ text: String, delimiter: Character = ",", limit: Int = 1 << 20, pieces: Int = 1) throws -> [Row] {
        try csv(Array(text.utf8), delimiter: delimiter, limit: limit, pieces: pieces)
    }

    /// Reads bytes given in `pieces` parts, so records straddle buffer refills.
    func csv(_ bytes: [UInt8], delimiter: Character = ",", limit: Int = 1 << 20, pieces: Int = 1) throws -> [Row] {
        let size = max(1, bytes.count / pieces)
        let parts = stride(from: 0, to: bytes.count, by: size).map { Data(bytes[$0..<min(bytes.count, $0 + size)]) }
        let reader = CSVReader(
            source: ConcatenatedByteSource(parts), delimiter: delimiter.asciiValue!, maxRecordBytes: limit)
        var rows: [Row] = []
        while try reader.next() {
            rows.append(
                Row(
                    line: reader.recordLine, fields: (0..<reader.fieldCount).map { reader.field($0) },
                    problem: reader.problem))
        }
        return rows
    }

    @Test(arguments: [1, 3, 17]) func rfc4180Records(_ pieces: Int) throws {
        let text = "\u{FEFF}id,text\r\n1,\"a, b\"\r\n2,\"say \"\"hi\"\"\"\r\n3,\"two\nlines\"\r\n\r\n4,\r\n5,last"
        let rows = try csv(text, pieces: pieces)
        #expect(
            rows == [
                Row(line: 1, fields: ["id", "text"]), Row(line: 2, fields: ["1", "a, b"]),
                Row(line: 3, fields: ["2", "say \"hi\""]),
                Row(line: 4, fields: ["3", "two\nlines"]), Row(line: 7, fields: ["4", ""]),
                Row(line: 8, fields: ["5", "last"]),
            ])
    }

    @Test func otherDelimiters() throws {
        #expect(try csv("a;b\n1;\"x;y\"\n", delimiter: ";").map(\.fields) == [["a", "b"], ["1", "x;y"]])
        #expect(try csv("a\tb\n1\t2\n", delimiter: "\t").map(\.fields) == [["a", "b"], ["1", "2"]])
    }

    @Test func malformedRecordsKeepTheirLineNumbers() throws {
        var bytes =
            Array("id,v\n1,ok\n2,\"bad\"x\n3,".utf8) + [0xFF, 0xFE] + Array("\n4,fine\n5,\"never closed\n6,x\n".utf8)
        bytes += []
        let rows = try csv(bytes)
        #expect(rows.map(\.line) == [1, 2, 3, 4, 5, 6])
        #expect(rows[2].problem == .characterAfterClosingQuote)
        #expect(rows[3].problem == .invalidUTF8)
        #expect(rows[4].problem == nil && rows[4].fields == ["4", "fine"])
        #expect(rows[5].problem == .unterminatedQuote)
    }

    @Test func hugeRecordIsSkippedInBoundedMemory() throws {
        let huge = String(repeating: "x", count: 3 << 20)
        let rows = try csv("id,v\n1,a\n2,\(huge)\n3,\"q\n\(huge)\"\n4,b\n", limit: 1 << 20, pieces: 7)
        #expect(rows.map(\.line) == [1, 2, 3, 4, 6])
        #expect(rows[2].problem == .recordTooLong(limit: 1 << 20))
        #expect(rows[3].problem == .recordTooLong(limit: 1 << 20))
        #expect(rows[4].fields == ["4", "b"] && rows[4].problem == nil)
    }

    @Test func jsonLines() throws {
        let bytes =
            Array("{\"id\":1}\n\n{\"id\":\n[1,2]\n".utf8) + [0x7B, 0xFF, 0x7D, 0x0A]
            + Array("{\"id\":\(String(repeating: "9", count: 5000))}\n{\"id\":2}".utf8)
        let reader = JSONLinesReader(source: ConcatenatedByteSource([Data(bytes)]), maxRecordBytes: 2048)
        var seen: [(Int64, String?)] = []
        while try reader.next() { seen.append((reader.recordLine, reader.problem?.code)) }
        #expect(seen.map(\.0) == [1, 3, 4, 5, 6, 7])
        #expect(seen.map(\.1) == [nil, "invalid_json", "not_an_object", "invalid_utf8", "record_too_long", nil])
    }

    @Test func fieldParsers() {
        func bytes<T>(_ text: String, _ body: (UnsafeRawBufferPointer) -> T) -> T {
            Array(text.utf8).withUnsafeBytes(body)
        }
        #expect(bytes("-42", FieldParser.int) == -42)
        #expect(bytes("9223372036854775808", FieldParser.int) == nil)
        #expect(bytes("4 2", FieldParser.int) == nil)
        #expect(bytes("1.5e3", FieldParser.decimal) == 1500)
        #expect(bytes("1.2.3", FieldParser.decimal) == nil)
        #expect(bytes("2024-02-29", FieldParser.date) != nil)
        #expect(bytes("2023-02-29", FieldParser.date) == nil)
        #expect(bytes("1970-01-02T00:00:00Z", FieldParser.timestamp) == 86_400_000_000)
        #expect(bytes("1970-01-01T01:00:00+01:00", FieldParser.timestamp) == 0)
        #expect(bytes("1970-01-01 00:00:01.5", FieldParser.timestamp) == 1_500_000)
        #expect(bytes("1970-01-01T00:00:00.000001Z", FieldParser.timestamp) == 1)
        #expect(
            bytes("1970-01-01T00:00:00.1234567Z", FieldParser.timestamp) == 123_456,
            "digits after the sixth are not kept")
        #expect(bytes("yesterday", FieldParser.timestamp) == nil)
        #expect(bytes("0001-01-01", FieldParser.date) == -719_162)
        #expect(bytes("-001-01-01", FieldParser.date) == nil)
    }

    /// The word-at-a-time path for `YYYY-MM-DDTHH:MM:SS[Z]` must agree with the general parser on every
    /// value, valid or not: generated timestamps, each also with one byte replaced.
    @Test func fastTimestampsAgreeWithTheGeneralParser() {
        var generator = SplitMix(seed: 17)
        func pick(_ bound: Int) -> Int { Int(generator.next() % UInt64(bound)) }
        let replacements = Array("09/:-T Z+a\u{0}\u{7F}".utf8) + [0xC3, 0x3A, 0x2F, 0x40]
        var checked = 0
        for _ in 0..<4_000 {
            let year = [1, 1969, 1970, 2000, 2024, 2100, 9999][pick(7)]
            let tails = [
                "", "Z", "z", ".086", ".086Z", ",5Z", ".123456789+02:00", "+0530", "-07", "-07:30", ".", "+2", "Zx",
                ".5+24:00", "+05:3", ".086+00:00",
            ]
            let text = String(
                format: "%04d-%02d-%02d%@%02d:%02d:%02d%@", year, pick(14), pick(33), pick(2) == 0 ? "T" : " ",
                pick(26), pick(62), pick(63), tails[pick(tails.count)])
            var variants = [Array(text.utf8)]
            var changed = Array(text.utf8)
            changed[pick(changed.count)] = replacements[pick(replacements.count)]
            variants.append(changed)
            for bytes in variants {
                let fast = bytes.withUnsafeBytes(FieldParser.timestamp)
                let general = bytes.withUnsafeBytes(FieldParser.anyTimestamp)
                #expect(fast == general, "\(String(decoding: bytes, as: UTF8.self))")
                checked += fast == nil ? 0 : 1
            }
        }
        #expect(checked > 1_000, "too few valid timestamps generated to compare: \(checked)")
    }
}
