import Foundation

/// The keys of a JSON object's top level as written, in order, duplicates included: JSON parsers keep one
/// value of a repeated key silently, and a record that names a key twice is ambiguous data.
enum TopLevelKeys {
    /// The keys of the object `bytes` holds (valid JSON, already parsed once), or `nil` when it is not one.
    static func scan(_ bytes: UnsafeRawBufferPointer) -> [String]? {
        var index = 0
        func skipSpace() {
            while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
        }
        skipSpace()
        guard index < bytes.count, bytes[index] == UInt8(ascii: "{") else { return nil }
        index += 1
        var keys: [String] = []
        while true {
            skipSpace()
            guard index < bytes.count else { return nil }
            if bytes[index] == UInt8(ascii: "}") { return keys }
            if bytes[index] == UInt8(ascii: ",") {
                index += 1
                continue
            }
            guard let end = stringEnd(bytes, from: index) else { return nil }
            // Decoded as JSON decodes it, so `"a"` and `"\u0061"` are the same key.
            let literal = Data(UnsafeRawBufferPointer(rebasing: bytes[index..<end]))
            guard let key = try? JSONSerialization.jsonObject(with: literal, options: [.fragmentsAllowed]) as? String
            else { return nil }
            keys.append(key)
            index = end
            skipSpace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { return nil }
            index += 1
            guard let next = valueEnd(bytes, from: index) else { return nil }
            index = next
        }
    }

    /// Just after the string literal that starts at `start`.
    private static func stringEnd(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Int? {
        guard bytes[start] == UInt8(ascii: "\"") else { return nil }
        var index = start + 1
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "\\"): index += 2
            case UInt8(ascii: "\""): return index + 1
            default: index += 1
            }
        }
        return nil
    }

    /// Just after the value that starts at (or after white space from) `start`: at the `,` or `}` that ends it.
    private static func valueEnd(_ bytes: UnsafeRawBufferPointer, from start: Int) -> Int? {
        var index = start
        var depth = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                guard let end = stringEnd(bytes, from: index) else { return nil }
                index = end
                continue
            }
            if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") { depth += 1 }
            if byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") {
                if depth == 0 { return index }
                depth -= 1
            }
            if byte == UInt8(ascii: ","), depth == 0 { return index }
            index += 1
        }
        return nil
    }

    /// The keys named more than once, in order of their second appearance.
    static func repeated(_ keys: [String]) -> [String] {
        var seen = Set<String>()
        var repeated: [String] = []
        for key in keys where !seen.insert(key).inserted && !repeated.contains(key) { repeated.append(key) }
        return repeated
    }
}
