import Foundation
import SluiceCore
import SluiceTestSupport

/// What the gate must report for a `GateCase`, computed plainly: each rule of the README's table of
/// accepted spellings written out with Foundation (regular expressions, `Int64(_:)`, `Double(_:)`, the
/// Gregorian calendar), and SQL semantics for keys (an empty or unreadable part is no key).
struct ReferenceGate {
    var rows = 0
    var invalidRows = 0
    var failures: [String: Int] = [:]

    init(_ test: GateCase) {
        var seen: [String: Set<String>] = [:]
        for file in test.csvFiles {
            let records = ReferenceCSV.records(file)
            for record in records.dropFirst() {
                rows += 1
                var failed = Set<String>()
                defer {
                    for id in failed { failures[id, default: 0] += 1 }
                    if !failed.isEmpty { invalidRows += 1 }
                }
                guard record.count == test.columns.count else {
                    failed.insert("parse")
                    continue
                }
                var keys: [String?] = []
                for (column, value) in zip(test.columns, record) {
                    let key = Self.key(value, column.type)
                    keys.append(key)
                    for check in Self.failedChecks(value, key: key, column) { failed.insert("\(column.name).\(check)") }
                    if column.unique, let key, !seen["\(column.name).unique", default: []].insert(key).inserted {
                        failed.insert("\(column.name).unique")
                    }
                }
                if let composite = test.composite, composite.allSatisfy({ keys[$0] != nil }) {
                    let id = "unique(\(composite.map { test.columns[$0].name }.joined(separator: ",")))"
                    let key = composite.map { "\(keys[$0]!.utf8.count):\(keys[$0]!)" }.joined()
                    if !seen[id, default: []].insert(key).inserted { failed.insert(id) }
                }
            }
        }
    }

    /// The column checks a value fails (`unique` aside).
    static func failedChecks(_ value: String, key: String?, _ column: GateCase.Column) -> [String] {
        if value.isEmpty { return column.required ? ["required"] : [] }
        guard key != nil else { return ["type"] }
        var failed: [String] = []
        if let number = Double(value), column.type == .int || column.type == .decimal {
            if let min = column.min, number < min { failed.append("min") }
            if let max = column.max, number > max { failed.append("max") }
        }
        if let accepted = column.accepted, !accepted.contains(value) { failed.append("in") }
        let length = value.unicodeScalars.count
        if let minLength = column.minLength, length < minLength { failed.append("min_length") }
        if let maxLength = column.maxLength, length > maxLength { failed.append("max_length") }
        return failed
    }

    /// The value as uniqueness compares it, or `nil` when it is empty or not of the type.
    static func key(_ value: String, _ type: ColumnType) -> String? {
        guard !value.isEmpty else { return nil }
        switch type {
        case .string: return value
        case .int: return matches(value, #"^[+-]?[0-9]+$"#) ? Int64(value).map { "\($0)" } : nil
        case .decimal:
            guard matches(value, #"^[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?$"#),
                let number = Double(value), number.isFinite
            else { return nil }
            return exactDecimal(value)
        case .bool:
            let lower = value.lowercased()
            return ["true", "t", "yes", "y", "1"].contains(lower)
                ? "true" : ["false", "f", "no", "n", "0"].contains(lower) ? "false" : nil
        case .date:
            guard matches(value, #"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"#) else { return nil }
            let parts = value.split(separator: "-").map { Int($0)! }
            return seconds(parts[0], parts[1], parts[2]).map { "\($0 / 86_400)" }
        case .timestamp: return timestamp(value).map { "\($0)" }
        }
    }

    /// ISO 8601 as the README lists it, in microseconds since 1970.
    static func timestamp(_ value: String) -> Int64? {
        let pattern =
            #"^([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[T ]([0-9]{2}):([0-9]{2})(?::([0-9]{2})(?:[.,]([0-9]+))?)?(?:([Zz])|([+-])([0-9]{2})(?::?([0-9]{2}))?)?)?$"#
        guard let groups = groups(value, pattern) else { return nil }
        func number(_ index: Int) -> Int { groups[index].flatMap { Int($0) } ?? 0 }
        let (hour, minute, second) = (number(4), number(5), number(6))
        guard hour < 24, minute < 60, second < 61, number(10) < 24,
            let day = seconds(number(1), number(2), number(3))
        else { return nil }
        let fraction = groups[7].map { Int64(($0 + "000000").prefix(6))! } ?? 0
        var offset = Int64(number(10) * 3600 + number(11) * 60)
        if groups[9] == "-" { offset = -offset }
        return (day + Int64(hour * 3600 + minute * 60 + second) - offset) * 1_000_000 + fraction
    }

    /// Seconds since 1970 at the start of a real Gregorian day, or `nil` for a day that does not exist.
    static func seconds(_ year: Int, _ month: Int, _ day: Int) -> Int64? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let components = DateComponents(year: year, month: month, day: day)
        guard let date = calendar.date(from: components),
            calendar.dateComponents([.year, .month, .day], from: date) == components
        else { return nil }
        return Int64(date.timeIntervalSince1970)
    }

    /// A decimal's exact value: sign, significant digits and exponent.
    static func exactDecimal(_ value: String) -> String {
        var text = Substring(value)
        let negative = text.first == "-"
        if text.first == "-" || text.first == "+" { text = text.dropFirst() }
        let parts = text.split(separator: "e", maxSplits: 1, omittingEmptySubsequences: false)
            .flatMap { $0.split(separator: "E", maxSplits: 1, omittingEmptySubsequences: false) }
        var exponent = parts.count > 1 ? Int(parts[1])! : 0
        let mantissa = parts[0].split(separator: ".", omittingEmptySubsequences: false)
        exponent -= mantissa.count > 1 ? mantissa[1].count : 0
        var digits = Array(mantissa.joined()).drop { $0 == "0" }
        guard !digits.isEmpty else { return "0" }
        while digits.last == "0" {
            digits.removeLast()
            exponent += 1
        }
        return (negative ? "-" : "") + String(digits) + "e\(exponent)"
    }

    static func matches(_ value: String, _ pattern: String) -> Bool { groups(value, pattern) != nil }

    static func groups(_ value: String, _ pattern: String) -> [String?]? {
        let regex = try! NSRegularExpression(pattern: pattern)
        guard let match = regex.firstMatch(in: value, range: NSRange(value.startIndex..., in: value)) else {
            return nil
        }
        return (0..<match.numberOfRanges).map { Range(match.range(at: $0), in: value).map { String(value[$0]) } }
    }
}
