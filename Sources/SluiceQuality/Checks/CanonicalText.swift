import SluiceCore

/// The one spelling of a typed value that Sluice writes and hands to SQL: `true`/`false`, a whole number
/// without sign or leading zeros beyond `-`, the decimal as written, `YYYY-MM-DD`, and a UTC timestamp with six
/// fraction digits. `nil` when the bytes are not of the type.
public enum CanonicalText {
    public static func of(_ bytes: UnsafeRawBufferPointer, type: ColumnType, format: DateFormat?) -> String? {
        switch type {
        case .string: return String(decoding: bytes, as: UTF8.self)
        case .int: return FieldParser.int(bytes).map { String($0) }
        case .decimal: return FieldParser.decimal(bytes).map { _ in String(decoding: bytes, as: UTF8.self) }
        case .bool: return FieldParser.bool(bytes).map { $0 ? "true" : "false" }
        case .date:
            let days = format.map { $0.days(bytes) } ?? FieldParser.date(bytes)
            return days.map { CivilDate.canonicalDate(days: $0) }
        case .timestamp:
            let microseconds = format.map { $0.microseconds(bytes) } ?? FieldParser.timestamp(bytes)
            return microseconds.map { CivilDate.canonicalTimestamp(microseconds: $0) }
        }
    }
}
