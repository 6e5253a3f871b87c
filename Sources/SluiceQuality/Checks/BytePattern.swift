import Foundation

/// A contract's `pattern`, matched the way `NSRegularExpression.firstMatch` does (a match anywhere unless
/// anchored), but over bytes with a precompiled DFA: one table lookup per byte and no string built. The DFA
/// answers for values of printable ASCII; a value with other bytes (non-ASCII, line terminators), and
/// any pattern using syntax outside the compiled subset (look-around, back-references, `\b`, Unicode
/// properties, possessive quantifiers), is answered by `NSRegularExpression` itself, so results never differ.
final class BytePattern: @unchecked Sendable {
    let source: String
    private let fallback: NSRegularExpression?
    let dfa: DFA?

    init?(_ pattern: String) {
        source = pattern
        guard let regex = try? NSRegularExpression(pattern: pattern) else { return nil }
        fallback = regex
        var parser = PatternParser(pattern)
        dfa = (try? parser.parse()).flatMap { DFA(compiling: $0) }
    }

    /// Whether the DFA compiled (otherwise every value goes through `NSRegularExpression`).
    var isCompiled: Bool { dfa != nil }

    func matches(_ bytes: UnsafeRawBufferPointer) -> Bool {
        if let dfa, let answer = DFA.matches(bytes, dfa.tables) {
            return answer
        }
        return slowMatches(bytes)
    }

    /// The answer of `NSRegularExpression` itself.
    func slowMatches(_ bytes: UnsafeRawBufferPointer) -> Bool {
        let text = String(decoding: bytes, as: UTF8.self)
        return fallback?.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }
}

/// A set of ASCII bytes.
struct ByteClass: Hashable {
    var low: UInt64 = 0
    var high: UInt64 = 0

    static let all = ByteClass(low: ~0, high: ~0)

    func contains(_ byte: UInt8) -> Bool {
        byte < 64 ? low >> UInt64(byte) & 1 == 1 : byte < 128 ? high >> UInt64(byte - 64) & 1 == 1 : false
    }

    mutating func insert(_ byte: UInt8) {
        if byte < 64 { low |= 1 << UInt64(byte) } else if byte < 128 { high |= 1 << UInt64(byte - 64) }
    }

    mutating func insert(_ range: ClosedRange<UInt8>) { for byte in range where byte < 128 { insert(byte) } }

    mutating func formUnion(_ other: ByteClass) {
        low |= other.low
        high |= other.high
    }

    var inverted: ByteClass { ByteClass(low: ~low, high: ~high) }

    /// Adds the other case of every ASCII letter.
    var caseFolded: ByteClass {
        var folded = self
        for byte in UInt8(ascii: "a")...UInt8(ascii: "z") where contains(byte) || contains(byte - 32) {
            folded.insert(byte)
            folded.insert(byte - 32)
        }
        return folded
    }

    static let digits: ByteClass = {
        var set = ByteClass()
        set.insert(UInt8(ascii: "0")...UInt8(ascii: "9"))
        return set
    }()
    static let word: ByteClass = {
        var set = digits
        set.insert(UInt8(ascii: "a")...UInt8(ascii: "z"))
        set.insert(UInt8(ascii: "A")...UInt8(ascii: "Z"))
        set.insert(UInt8(ascii: "_"))
        return set
    }()
    static let space: ByteClass = {
        var set = ByteClass()
        for byte: UInt8 in [9, 10, 12, 13, 32] { set.insert(byte) }
        return set
    }()
}

/// The parsed pattern.
indirect enum PatternNode {
    case bytes(ByteClass)
    case sequence([PatternNode])
    case choice([PatternNode])
    case repeated(PatternNode, min: Int, max: Int?)
    case start
    case end
}

/// Thrown for syntax the DFA does not compile; the pattern then runs on `NSRegularExpression`.
struct UnsupportedPattern: Error {}

/// Parses the subset of ICU syntax the DFA handles.
struct PatternParser {
    private let scalars: [Unicode.Scalar]
    private var index = 0
    private var ignoreCase = false

    init(_ pattern: String) { scalars = Array(pattern.unicodeScalars) }

    mutating func parse() throws -> PatternNode {
        if scalars.starts(with: "(?i)".unicodeScalars) {
            ignoreCase = true
            index = 4
        }
        let node = try alternation()
        guard index == scalars.count else { throw UnsupportedPattern() }
        return node
    }

    private var peek: Unicode.Scalar? { index < scalars.count ? scalars[index] : nil }

    private mutating func alternation() throws -> PatternNode {
        var branches = [try sequence()]
        while peek == "|" {
            index += 1
            branches.append(try sequence())
        }
        return branches.count == 1 ? branches[0] : .choice(branches)
    }

    private mutating func sequence() throws -> PatternNode {
        var items: [PatternNode] = []
        while let next = peek, next != "|", next != ")" {
            var atom = try self.atom()
            while let quantifier = peek, "*+?{".unicodeScalars.contains(quantifier) {
                guard let (min, max) = try bounds() else { break }
                guard min <= 100, (max ?? 0) <= 100 else { throw UnsupportedPattern() }
                atom = .repeated(atom, min: min, max: max)
                if peek == "?" {
                    index += 1  // lazy: the same set of matches
                } else if peek == "+" {
                    throw UnsupportedPattern()  // possessive
                }
            }
            items.append(atom)
        }
        return items.count == 1 ? items[0] : .sequence(items)
    }

    /// A quantifier at `index`; `nil` for a `{` that is not one (then it is a literal).
    private mutating func bounds() throws -> (Int, Int?)? {
        switch scalars[index] {
        case "*":
            index += 1
            return (0, nil)
        case "+":
            index += 1
            return (1, nil)
        case "?":
            index += 1
            return (0, 1)
        default:
            var cursor = index + 1
            func number() -> Int? {
                let begin = cursor
                while cursor < scalars.count, let digit = scalars[cursor].properties.numericType, digit == .decimal,
                    scalars[cursor].isASCII
                {
                    cursor += 1
                }
                guard cursor > begin, cursor - begin < 6 else { return nil }
                return Int(String(String.UnicodeScalarView(scalars[begin..<cursor])))
            }
            guard let min = number() else { throw UnsupportedPattern() }
            var max: Int? = min
            if cursor < scalars.count && scalars[cursor] == "," {
                cursor += 1
                max = cursor < scalars.count && scalars[cursor] == "}" ? nil : number()
                if max == nil && !(cursor < scalars.count && scalars[cursor] == "}") { throw UnsupportedPattern() }
            }
            guard cursor < scalars.count, scalars[cursor] == "}" else { throw UnsupportedPattern() }
            if let max, max < min { throw UnsupportedPattern() }
            index = cursor + 1
            return (min, max)
        }
    }

    private mutating func atom() throws -> PatternNode {
        let scalar = scalars[index]
        index += 1
        switch scalar {
        case "(":
            if peek == "?" {
                // Only groups that do not capture or that are named; look-around, atomic groups and flags are not compiled.
                if index + 1 < scalars.count && scalars[index + 1] == ":" {
                    index += 2
                } else if index + 2 < scalars.count && scalars[index + 1] == "<"
                    && scalars[index + 2].properties.isAlphabetic
                {
                    guard let close = scalars[index...].firstIndex(of: ">") else { throw UnsupportedPattern() }
                    index = close + 1
                } else {
                    throw UnsupportedPattern()
                }
            }
            let inner = try alternation()
            guard peek == ")" else { throw UnsupportedPattern() }
            index += 1
            return inner
        case "[": return .bytes(try characterClass())
        case ".":
            var set = ByteClass.all
            for byte: UInt8 in [10, 11, 12, 13] { set.low &= ~(1 << UInt64(byte)) }
            return .bytes(set)
        case "^": return .start
        case "$": return .end
        case "\\": return try escape(inClass: false).map { .bytes($0) } ?? anchorEscape()
        case "*", "+", "?", ")": throw UnsupportedPattern()
        default: return .bytes(literal(scalar))
        }
    }

    /// `\A`, `\z` and `\Z`, the escapes that are anchors.
    private mutating func anchorEscape() throws -> PatternNode {
        switch scalars[index - 1] {
        case "A": return .start
        case "z", "Z": return .end
        default: throw UnsupportedPattern()
        }
    }

    private func literal(_ scalar: Unicode.Scalar) -> ByteClass {
        var set = ByteClass()
        guard scalar.isASCII else { return set }  // matches no ASCII byte
        set.insert(UInt8(scalar.value))
        return ignoreCase ? set.caseFolded : set
    }

    /// The escape after a backslash as a class; `nil` for an anchor escape (the scalar is consumed).
    private mutating func escape(inClass: Bool) throws -> ByteClass? {
        guard let scalar = peek else { throw UnsupportedPattern() }
        index += 1
        switch scalar {
        case "d": return .digits
        case "D": return ByteClass.digits.inverted
        case "w": return .word
        case "W": return ByteClass.word.inverted
        case "s": return .space
        case "S": return ByteClass.space.inverted
        case "t": return literal("\t")
        case "n": return literal("\n")
        case "r": return literal("\r")
        case "f": return literal("\u{0C}")
        case "e": return literal("\u{1B}")
        case "a": return literal("\u{07}")
        case "A", "z", "Z":
            if inClass { throw UnsupportedPattern() }
            return nil
        case "x":
            var digits = ""
            if peek == "{" {
                guard let close = scalars[index...].firstIndex(of: "}") else { throw UnsupportedPattern() }
                digits = String(String.UnicodeScalarView(scalars[(index + 1)..<close]))
                index = close + 1
            } else {
                guard index + 2 <= scalars.count else { throw UnsupportedPattern() }
                digits = String(String.UnicodeScalarView(scalars[index..<(index + 2)]))
                index += 2
            }
            guard let value = UInt32(digits, radix: 16), let decoded = Unicode.Scalar(value) else {
                throw UnsupportedPattern()
            }
            return literal(decoded)
        default:
            // Escaped punctuation is itself; letters and digits are escapes this subset does not compile.
            guard scalar.isASCII, !scalar.properties.isAlphabetic, !("0"..."9").contains(scalar) else {
                throw UnsupportedPattern()
            }
            return literal(scalar)
        }
    }

    private mutating func characterClass() throws -> ByteClass {
        var set = ByteClass()
        let negated = peek == "^"
        if negated { index += 1 }
        // `]` first, nested classes, set operations and POSIX names are left to NSRegularExpression.
        guard peek != "]" else { throw UnsupportedPattern() }
        var previous: Unicode.Scalar?
        while true {
            guard let scalar = peek else { throw UnsupportedPattern() }
            index += 1
            switch scalar {
            case "]":
                if ignoreCase { set = set.caseFolded }
                return negated ? set.inverted : set
            case "[", "&": throw UnsupportedPattern()
            case "\\":
                guard let escaped = try escape(inClass: true) else { throw UnsupportedPattern() }
                set.formUnion(escaped)
                previous = escapedSingle(escaped)
            case "-" where set == ByteClass() && previous == nil || peek == "]":
                set.formUnion(literal(scalar))
                previous = scalar
            case "-":
                guard let upper = peek, upper != "\\", upper != "[", let lower = previous, lower <= upper else {
                    throw UnsupportedPattern()
                }
                index += 1
                if lower.isASCII { set.insert(UInt8(lower.value)...UInt8(min(upper.value, 127))) }
                previous = nil
            default:
                set.formUnion(literal(scalar))
                previous = scalar
            }
        }
    }

    /// The scalar an escape stood for when it is a single character (a range may start from it).
    private func escapedSingle(_ set: ByteClass) -> Unicode.Scalar? {
        var found: UInt8?
        for byte in UInt8(0)..<128 where set.contains(byte) {
            if found != nil { return nil }
            found = byte
        }
        return found.map { Unicode.Scalar($0) }
    }
}
