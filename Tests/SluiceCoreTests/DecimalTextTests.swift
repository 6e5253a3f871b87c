import Foundation
import SluiceCore
import SluiceTestSupport
import Testing

/// Issue 22 item 5: money is exact. Rounding half-even to a scale and the order of two decimals, checked
/// against Python's `decimal` module (an independent implementation) on generated values, ties included.
@Suite struct DecimalTextTests {
    /// Deterministic decimal texts: signs, leading zeros, points anywhere, exponents, values ending in 5.
    static func values(count: Int) -> [String] {
        var random = SplitMix(seed: 22)
        var values: [String] = ["0", "-0", "2.675", "0.125", "0.135", "-2.5", "9.995", "999.995", "1e-7", "1.5e+3"]
        while values.count < count {
            let length = Int(random.next() % 12) + 1
            var digits = (0..<length).map { _ in String(random.next() % 10) }.joined()
            if random.next() % 3 == 0 { digits += "5" }
            let point = Int(random.next() % UInt64(digits.count + 1))
            var text = String(digits.prefix(point)) + (point < digits.count ? "." + digits.dropFirst(point) : "")
            if text.hasPrefix(".") { text = "0" + text }
            if random.next() % 4 == 0 { text = "-" + text }
            if random.next() % 8 == 0 { text += "e\(Int(random.next() % 9) - 4)" }
            values.append(text)
        }
        return values
    }

    static func python(_ script: String, input: [String]) throws -> [String] {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script]
        let out = try ProcessCapture.run(process, input: Data((input.joined(separator: "\n") + "\n").utf8))
        return String(decoding: out.stdout, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    @Test func roundingHalfEvenMatchesPythonsDecimal() throws {
        let values = Self.values(count: 2_000)
        let cases = values.enumerated().map { index, value in "\(value) \(index % 5)" }
        let expected = try Self.python(
            """
            import sys
            from decimal import Decimal, ROUND_HALF_EVEN, getcontext
            getcontext().prec = 200
            for line in sys.stdin:
                value, scale = line.split()
                rounded = Decimal(value).quantize(Decimal(1).scaleb(-int(scale)), rounding=ROUND_HALF_EVEN)
                text = format(rounded, 'f')
                print(text[1:] if text.startswith('-') and rounded == 0 else text)
            """, input: cases)
        #expect(expected.count == cases.count)
        var wrong: [String] = []
        for (index, line) in cases.enumerated() {
            let parts = line.split(separator: " ")
            let mine = DecimalText.rounded(parts[0], scale: Int(parts[1])!)
            if mine != expected[index] { wrong.append("\(line): \(mine ?? "nil") vs \(expected[index])") }
        }
        #expect(wrong.isEmpty, "\(wrong.count) of \(cases.count) differ: \(wrong.prefix(5))")
    }

    @Test func orderMatchesPythonsDecimal() throws {
        let values = Self.values(count: 1_500)
        let pairs = zip(values, values.shuffledDeterministically()).map { "\($0) \($1)" }
        let expected = try Self.python(
            """
            import sys
            from decimal import Decimal
            for line in sys.stdin:
                a, b = map(Decimal, line.split())
                print((a > b) - (a < b))
            """, input: pairs)
        let mine = pairs.map { pair -> String in
            let parts = pair.split(separator: " ")
            return DecimalText.compare(parts[0], parts[1]).map { String($0.signum()) } ?? "nil"
        }
        #expect(mine == expected)
    }
}

extension Array {
    fileprivate func shuffledDeterministically() -> [Element] {
        var random = SplitMix(seed: 5)
        return shuffled(using: &random)
    }
}
