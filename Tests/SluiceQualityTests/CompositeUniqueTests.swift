import Foundation
import SluiceCore
import SluiceTestSupport
import Testing

@testable import SluiceQuality

/// Issue 11 item 4: composite uniqueness with SQL semantics, checked against a plain reference on generated
/// rows: a key with an empty or unreadable part equals no other key; values are compared as their type.
@Suite struct CompositeUniqueTests {
    let validator = ContractValidatorTests()

    /// The reference: rows (1-based) whose key appeared on an earlier row, where every part is present and
    /// parses; ints compare by value.
    static func referenceDuplicates(_ rows: [(String, String)]) -> Int {
        var seen = Set<[String]>()
        var duplicates = 0
        for (a, b) in rows {
            guard !a.isEmpty, !b.isEmpty, let number = Int64(a.hasPrefix("+") ? String(a.dropFirst()) : a) else {
                continue
            }
            if !seen.insert(["\(number)", b]).inserted { duplicates += 1 }
        }
        return duplicates
    }

    @Test(arguments: [1, 2, 3, 4, 5])
    func compositeDuplicatesMatchTheReference(_ seed: UInt64) throws {
        var generator = SplitMix(seed: seed)
        let ints = ["1", "01", "+1", "2", "", "x", "-0", "0"]
        let texts = ["a", "b", "", "a,b", "\u{1F}", "a\u{1F}b"]
        let rows = (0..<300).map { _ in
            (ints[Int(generator.next() % UInt64(ints.count))], texts[Int(generator.next() % UInt64(texts.count))])
        }
        let csv = "a,b\n" + rows.map { "\($0.0),\(Self.field($0.1))" }.joined(separator: "\n") + "\n"
        let dataset = try validator.dataset(
            "classification: internal\ncolumns: { a: { type: int }, b: { type: string } }\nchecks:\n  - { unique: [a, b] }"
        )
        let report = try validator.run(dataset, csv)
        let check = try validator.check(report, "unique(a,b)")
        #expect(check.unexpectedCount == Int64(Self.referenceDuplicates(rows)), "seed \(seed)")
    }

    static func field(_ text: String) -> String {
        text.contains(",") ? "\"\(text)\"" : text
    }

    @Test func decimalKeysCompareExactValues() {
        func key(_ text: String) -> String? {
            var bytes = Array(text.utf8)
            return bytes.withUnsafeMutableBytes { CanonicalKey.text(.decimal, UnsafeRawBufferPointer($0)) }
        }
        #expect(key("1.50") == key("1.5") && key("1.5") == key("15e-1") && key("+1.5") == key("1.5"))
        #expect(key("-0") == key("0") && key("0.000") == key("0"))
        let long = String(repeating: "1", count: 70)
        #expect(key(long + "1") != nil && key(long + "1") != key(long + "2"), "long decimals stay distinct")
        #expect(key("1e400") == nil, "too large for a double is not a decimal")
    }

    /// A unique decimal column compares exact values too: `-0` repeats `0` and `1.50` repeats `1.5`, while two
    /// long decimals that round to the same double, and `1e-400` against `0`, stay distinct.
    @Test func aUniqueDecimalColumnComparesExactValues() throws {
        let long = "0." + String(repeating: "1", count: 40)
        let dataset = try validator.dataset("classification: internal\ncolumns: { d: { type: decimal, unique: true } }")
        let csv = ["d", "0", "-0", "1.5", "1.50", "15e-1", long + "1", long + "2", "1e-400", ""].joined(separator: "\n")
        let check = try validator.check(try validator.run(dataset, csv + "\n"), "d.unique")
        #expect(check.unexpectedCount == 3)
        #expect(check.samples.map(\.value) == ["-0", "1.50", "15e-1"], "samples show the file's text")
    }
}
