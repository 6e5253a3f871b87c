import Foundation
import SluiceTestSupport
import Testing

@testable import SluiceQuality

/// The DFA must answer exactly as `NSRegularExpression.firstMatch` does, so each pattern is run on many
/// generated values through both.
@Suite struct BytePatternTests {
    static let compiled = [
        #"^[a-z0-9._]+@[a-z0-9.-]+\.[a-z]{2,}$"#, #"^\d{3}-\d{4}$"#, "abc", "^abc", "abc$", "a|bc|", "(ab)+c?",
        "^(?:ab|cd){2,3}$", "[^a-c]x", #"\w+\s\W"#, "^.{2,4}$", "colou?r", "(?i)^ab[c-e]$", "x*", "^$", "a{0}b",
        #"\x41[\x42B-D]"#, "[-a]z", "[a-]z", #"^[A-Z]{2}\d{2}[A-Z0-9]{4,30}$"#, "(?<word>ab)c", "a.c", #"\A\d+\z"#,
        "^a*?b+?$", "[.]", #"[\d.]+"#, "^(a|ab)(c|bcd)(d*)$", #"^[^@\s]+@[^@\s]+\.[^@\s]+$"#, #"[^\S]x"#,
    ]
    static let fallback = [#"\bword\b"#, "(?=a)a", #"(a)\1"#, #"\p{L}+"#, "a++", "[[:alpha:]]", "(?i:ab)"]

    static func values(count: Int, seed: UInt64) -> [String] {
        var generator = SplitMix(seed: seed)
        let alphabet = Array("abcdexyzABCDZ0123456789 _-.@:!\t")
        return (0..<count).map { _ in
            let length = Int(generator.next() % 9)
            return String((0..<length).map { _ in alphabet[Int(generator.next() % UInt64(alphabet.count))] })
        } + ["user.1@example.com", "a@b.c", "Ab", "abc", "AbC", "AB12CDEF1234", "555-1234", "colour", "color"]
    }

    @Test(arguments: compiled)
    func compiledPatternsAgreeWithNSRegularExpression(_ pattern: String) throws {
        let fast = try #require(BytePattern(pattern))
        #expect(fast.isCompiled, "\(pattern) should compile to a DFA")
        let slow = try NSRegularExpression(pattern: pattern)
        for value in Self.values(count: 3000, seed: UInt64(pattern.utf8.count)) {
            let expected = slow.firstMatch(in: value, range: NSRange(value.startIndex..., in: value)) != nil
            var copy = value
            let actual = copy.withUTF8 { fast.matches(UnsafeRawBufferPointer($0)) }
            #expect(actual == expected, "\(pattern) on \(value.debugDescription)")
            // Two bytes a step and one byte a step give the same answer.
            let tables = try #require(fast.dfa?.tables)
            let paired = copy.withUTF8 { DFA.matches(UnsafeRawBufferPointer($0), tables) }
            let single = copy.withUTF8 { DFA.matches(UnsafeRawBufferPointer($0), tables.singleBytes) }
            #expect(paired == single, "\(pattern) on \(value.debugDescription)")
        }
    }

    @Test func fewByteClassesStepTwoBytesAtATime() throws {
        let email = try #require(BytePattern(#"^[a-z0-9._]+@[a-z0-9.-]+\.[a-z]{2,}$"#))
        #expect(email.dfa?.tables.pairs != nil)
        // Negated classes and `\s` (issue 11 item 15) too.
        let negated = try #require(BytePattern(#"^[^@\s]+@[^@\s]+\.[^@\s]+$"#))
        #expect(negated.dfa?.tables.pairs != nil)
    }

    @Test(arguments: fallback)
    func otherSyntaxFallsBackAndStillAgrees(_ pattern: String) throws {
        let fast = try #require(BytePattern(pattern))
        #expect(!fast.isCompiled)
        let slow = try NSRegularExpression(pattern: pattern)
        for value in ["word here", "aa", "a", "wordy", "é", "ab"] {
            let expected = slow.firstMatch(in: value, range: NSRange(value.startIndex..., in: value)) != nil
            var copy = value
            #expect(copy.withUTF8 { fast.matches(UnsafeRawBufferPointer($0)) } == expected)
        }
    }

    @Test func nonASCIIAndLineBreaksAreAnsweredExactly() throws {
        let fast = try #require(BytePattern("^.+$"))
        for (value, expected) in [("é", true), ("a\n", true), ("a\nb", false), ("\r", false), ("ab", true)] {
            var copy = value
            #expect(copy.withUTF8 { fast.matches(UnsafeRawBufferPointer($0)) } == expected, "\(value.debugDescription)")
        }
    }
}
