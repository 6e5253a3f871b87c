import Foundation
import SluiceCore

/// A typed value read from a field.
enum TypedValue {
    case int(Int64)
    case decimal(Double)
    case text(String)
    case bool(Bool)
    case date(Int64)
    case timestamp(Int64)

    var number: Double? {
        switch self {
        case .int(let value): return Double(value)
        case .decimal(let value): return value
        default: return nil
        }
    }

    /// A canonical text for set membership (uniqueness, references): `007` and `7` are the same int.
    var key: String {
        switch self {
        case .int(let value): return String(value)
        case .decimal(let value): return String(value)
        case .text(let value): return value
        case .bool(let value): return value ? "true" : "false"
        case .date(let value), .timestamp(let value): return String(value)
        }
    }
}

/// One column's compiled contract.
final class ColumnRule {
    let spec: ColumnSpec
    let pattern: NSRegularExpression?
    let accepted: Set<String>?
    var seenInts = Set<Int64>()
    var seenKeys = Set<String>()

    init(spec: ColumnSpec) {
        self.spec = spec
        pattern = spec.pattern.flatMap { try? NSRegularExpression(pattern: $0) }
        accepted = spec.accepted.map(Set.init)
    }

    func parse(_ bytes: UnsafeRawBufferPointer) -> TypedValue? {
        switch spec.type {
        case .int: return FieldParser.int(bytes).map(TypedValue.int)
        case .decimal: return FieldParser.decimal(bytes).map(TypedValue.decimal)
        case .bool: return FieldParser.bool(bytes).map(TypedValue.bool)
        case .date: return FieldParser.date(bytes).map(TypedValue.date)
        case .timestamp: return FieldParser.timestamp(bytes).map(TypedValue.timestamp)
        case .string: return .text(String(decoding: bytes, as: UTF8.self))
        }
    }

    /// The value checks that fail for a non-null value, by check type.
    func failures(of value: TypedValue) -> [String] {
        var failed: [String] = []
        if let number = value.number {
            if let min = spec.min, number < min { failed.append("min") }
            if let max = spec.max, number > max { failed.append("max") }
        }
        if spec.pattern != nil || accepted != nil || spec.minLength != nil || spec.maxLength != nil {
            let text: String
            if case .text(let string) = value { text = string } else { text = value.key }
            if let pattern, pattern.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) == nil {
                failed.append("pattern")
            }
            if let accepted, !accepted.contains(text) { failed.append("in") }
            if spec.minLength != nil || spec.maxLength != nil {
                let length = text.unicodeScalars.count
                if let minLength = spec.minLength, length < minLength { failed.append("min_length") }
                if let maxLength = spec.maxLength, length > maxLength { failed.append("max_length") }
            }
        }
        if spec.unique {
            let inserted: Bool
            if case .int(let number) = value {
                inserted = seenInts.insert(number).inserted
            } else {
                inserted = seenKeys.insert(value.key).inserted
            }
            if !inserted { failed.append("unique") }
        }
        return failed
    }

    /// The check types this column declares, in report order.
    var declaredChecks: [String] {
        var checks = ["type"]
        if spec.required { checks.append("required") }
        if spec.min != nil { checks.append("min") }
        if spec.max != nil { checks.append("max") }
        if spec.pattern != nil { checks.append("pattern") }
        if spec.accepted != nil { checks.append("in") }
        if spec.minLength != nil { checks.append("min_length") }
        if spec.maxLength != nil { checks.append("max_length") }
        if spec.unique { checks.append("unique") }
        return checks
    }
}
