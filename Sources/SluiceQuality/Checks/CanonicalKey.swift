import SluiceCore

/// The canonical bytes of a typed value, for set membership (uniqueness over several columns, references):
/// `007` and `7` are the same int, `2026-01-01` is the same date however it was written.
enum CanonicalKey {
    /// Appends the key of `bytes` read as `type`; `false` (nothing appended) when they are not of that type.
    static func append(
        _ type: ColumnType, _ bytes: UnsafeRawBufferPointer, format: DateFormat? = nil, to key: inout [UInt8]
    ) -> Bool {
        switch type {
        case .string:
            key.append(contentsOf: bytes)
        case .int:
            guard let value = FieldParser.int(bytes) else { return false }
            appendDecimal(value, to: &key)
        case .decimal:
            guard FieldParser.decimal(bytes) != nil else { return false }
            appendExactDecimal(bytes, to: &key)
        case .bool:
            guard let value = FieldParser.bool(bytes) else { return false }
            key.append(contentsOf: (value ? "true" : "false").utf8)
        case .date:
            guard let value = format.map({ $0.days(bytes) }) ?? FieldParser.date(bytes) else { return false }
            appendDecimal(value, to: &key)
        case .timestamp:
            guard let value = format.map({ $0.microseconds(bytes) }) ?? FieldParser.timestamp(bytes) else {
                return false
            }
            appendDecimal(value, to: &key)
        }
        return true
    }

    /// The key of `bytes` read as `type`, as text.
    static func text(_ type: ColumnType, _ bytes: UnsafeRawBufferPointer, format: DateFormat? = nil) -> String? {
        var key: [UInt8] = []
        guard append(type, bytes, format: format, to: &key) else { return nil }
        return String(decoding: key, as: UTF8.self)
    }

    /// A decimal's exact value as `[-]DIGITSeEXPONENT` with no leading or trailing zeros in the digits:
    /// `1.50`, `1.5` and `15e-1` are one key, `-0` and `0` are one key, and two long decimals that round to
    /// the same double stay two keys. `bytes` is a valid decimal (see `FieldParser.decimal`).
    static func appendExactDecimal(_ bytes: UnsafeRawBufferPointer, to key: inout [UInt8]) {
        var digits: [UInt8] = []
        var exponent = 0
        var negative = false
        var index = 0
        if bytes[0] == UInt8(ascii: "-") || bytes[0] == UInt8(ascii: "+") {
            negative = bytes[0] == UInt8(ascii: "-")
            index = 1
        }
        var afterPoint = false
        while index < bytes.count, bytes[index] != UInt8(ascii: "e"), bytes[index] != UInt8(ascii: "E") {
            if bytes[index] == UInt8(ascii: ".") {
                afterPoint = true
            } else {
                digits.append(bytes[index])
                if afterPoint { exponent -= 1 }
            }
            index += 1
        }
        if index < bytes.count {
            exponent +=
                Int(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[(index + 1)...]), as: UTF8.self)) ?? 0
        }
        let leading = digits.firstIndex { $0 != UInt8(ascii: "0") } ?? digits.count
        digits.removeFirst(leading)
        guard !digits.isEmpty else { return key.append(UInt8(ascii: "0")) }
        while digits.last == UInt8(ascii: "0") {
            digits.removeLast()
            exponent += 1
        }
        if negative { key.append(UInt8(ascii: "-")) }
        key.append(contentsOf: digits)
        key.append(UInt8(ascii: "e"))
        key.append(contentsOf: String(exponent).utf8)
    }

    /// The parts of a composite key (each a 4-byte little-endian length, then the part's key), as text.
    static func compositeParts(_ key: UnsafeRawBufferPointer) -> [String] {
        var parts: [String] = []
        var offset = 0
        while offset + 4 <= key.count {
            var length: UInt32 = 0
            withUnsafeMutableBytes(of: &length) {
                $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: key[offset..<offset + 4]))
            }
            let start = offset + 4
            let end = min(key.count, start + Int(UInt32(littleEndian: length)))
            parts.append(String(decoding: UnsafeRawBufferPointer(rebasing: key[start..<end]), as: UTF8.self))
            offset = end
        }
        return parts
    }

    /// Writes a whole number in decimal without building a string.
    static func appendDecimal(_ value: Int64, to key: inout [UInt8]) {
        if value < 0 { key.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // up to 20 digits, reversed
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            repeat {
                buffer[count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
            for index in stride(from: count - 1, through: 0, by: -1) { key.append(buffer[index]) }
        }
    }
}
