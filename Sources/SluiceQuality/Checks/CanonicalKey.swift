import SluiceCore

/// The canonical bytes of a typed value, for set membership (uniqueness over several columns, references):
/// `007` and `7` are the same int, `2026-01-01` is the same date however it was written.
enum CanonicalKey {
    /// Appends the key of `bytes` read as `type`; `false` (nothing appended) when they are not of that type.
    static func append(_ type: ColumnType, _ bytes: UnsafeRawBufferPointer, to key: inout [UInt8]) -> Bool {
        switch type {
        case .string:
            key.append(contentsOf: bytes)
        case .int:
            guard let value = FieldParser.int(bytes) else { return false }
            appendDecimal(value, to: &key)
        case .decimal:
            guard let value = FieldParser.decimal(bytes) else { return false }
            key.append(contentsOf: String(value).utf8)
        case .bool:
            guard let value = FieldParser.bool(bytes) else { return false }
            key.append(contentsOf: (value ? "true" : "false").utf8)
        case .date:
            guard let value = FieldParser.date(bytes) else { return false }
            appendDecimal(value, to: &key)
        case .timestamp:
            guard let value = FieldParser.timestamp(bytes) else { return false }
            appendDecimal(value, to: &key)
        }
        return true
    }

    /// The key of `bytes` read as `type`, as text.
    static func text(_ type: ColumnType, _ bytes: UnsafeRawBufferPointer) -> String? {
        var key: [UInt8] = []
        guard append(type, bytes, to: &key) else { return nil }
        return String(decoding: key, as: UTF8.self)
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
