import Foundation
import SluiceCore
import SluiceTestSupport

/// One generated case for the gate: a contract of 1–4 columns, rows drawn from every type's accepted and
/// refused spellings, and how the rows are written (files, line endings, byte order mark, quoting, last
/// line break, malformed records).
struct GateCase: CustomStringConvertible {
    struct Column {
        var name: String
        var type: ColumnType
        var required = false
        var unique = false
        var min: Double?
        var max: Double?
        var accepted: [String]?
        var minLength: Int?
        var maxLength: Int?
    }

    var columns: [Column] = []
    /// Column indexes of a composite `unique`, if any.
    var composite: [Int]?
    /// Rows as field values; a row of another length is a malformed record.
    var rows: [[String]] = []
    var csv: GeneratedCSV

    static let spellings: [ColumnType: [String]] = [
        .int: [
            "0", "7", "007", "+7", "-7", "-0", "42", "9223372036854775807", "9223372036854775808", "x", "1.5", "", " 7",
        ],
        .decimal: [
            "0", "-0", "1.5", "1.50", "+1.5", "15e-1", ".5", "5.", "1e400", "abc", "1e", "", "-2.5", "1E3", "1e-400",
        ],
        .bool: ["true", "TRUE", "t", "yes", "Y", "1", "false", "No", "0", "F", "maybe", "", "tru"],
        .date: [
            "2024-01-01", "2024-02-29", "2023-02-29", "2024-13-01", "2024-1-1", "", "1999-12-31", "2024-01-01T00:00:00",
        ],
        .timestamp: [
            "2024-01-01T00:00:00Z", "2024-01-01 01:00:00+01:00", "2024-01-01T00:00:00.000001Z",
            "2024-01-01T00:00:00.000002Z",
            "2024-01-01T00:00:00.0000019Z", "2024-01-01", "2024-01-01T00:00", "2024-01-01T24:00:00Z",
            "2024-01-01T00:00:00+0000", "2024-01-01T07:00:00-07", "2024-01-01T00:00:00.5,", "", "nope",
            "2024-01-01T00:00:00.086+00:00", "2024-01-01T00:00:00.086Z", "2024-01-01t00:00:00Z",
        ],
        .string: ["a", "b", "a,b", "say \"hi\"", "line\nbreak", "crlf\r\nx", "é", "", "  ", "A", "ab", "abcdef"],
    ]

    init(_ values: [Int]) {
        var choices = Choices(values)
        let types: [ColumnType] = [.int, .decimal, .bool, .date, .timestamp, .string]
        for index in 0..<(1 + choices.next(4)) {
            var column = Column(name: "c\(index)", type: choices.pick(types))
            column.required = choices.chance(3)
            column.unique = choices.chance(3)
            if column.type == .int || column.type == .decimal {
                if choices.chance(2) { column.min = Double(choices.next(5)) - 1 }
                if choices.chance(2) { column.max = Double(3 + choices.next(50)) }
            }
            if column.type == .string {
                if choices.chance(3) { column.accepted = ["a", "b", "a,b", "é"] }
                if choices.chance(3) { column.minLength = choices.next(3) }
                if choices.chance(3) { column.maxLength = (column.minLength ?? 0) + 1 + choices.next(4) }
            }
            columns.append(column)
        }
        if columns.count >= 2 && choices.chance(2) { composite = [0, columns.count - 1] }
        csv = GeneratedCSV(&choices)
        while !choices.exhausted {
            var row = columns.map { choices.pick(Self.spellings[$0.type]!) }
            if choices.chance(25) {
                row.append("extra")
            } else if columns.count > 1 && choices.chance(25) {
                row.removeLast()
            }
            rows.append(row)
        }
    }

    /// The contract as a project declares it.
    var yaml: String {
        var lines = ["classification: internal", "columns:"]
        for column in columns {
            var parts = ["type: \(column.type.rawValue)"]
            if column.required { parts.append("required: true") }
            if column.unique { parts.append("unique: true") }
            if let min = column.min { parts.append("min: \(min)") }
            if let max = column.max { parts.append("max: \(max)") }
            if let accepted = column.accepted {
                parts.append("in: [\(accepted.map { "'\($0)'" }.joined(separator: ", "))]")
            }
            if let minLength = column.minLength { parts.append("min_length: \(minLength)") }
            if let maxLength = column.maxLength { parts.append("max_length: \(maxLength)") }
            lines.append("  \(column.name): { \(parts.joined(separator: ", ")) }")
        }
        if let composite {
            lines.append("checks:")
            lines.append("  - { unique: [\(composite.map { columns[$0].name }.joined(separator: ", "))] }")
        }
        return lines.joined(separator: "\n")
    }

    var csvFiles: [String] { csv.write(header: columns.map(\.name), rows: rows) }

    var description: String {
        "contract:\n\(yaml)\n\(csv): \(csvFiles.map(\.debugDescription).joined(separator: "\n"))"
    }
}
