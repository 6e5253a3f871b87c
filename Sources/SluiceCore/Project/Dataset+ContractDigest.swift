import Foundation

extension Dataset {
    /// A SHA-256 over everything that decides a gate's verdict: columns with their types and constraints,
    /// table checks, `on_invalid` and `max_invalid_ratio`; written out line by line in a fixed order so
    /// that it is stable across runs and releases (and not moved by edits elsewhere in the file).
    public var contractDigest: String {
        var lines = ["on_invalid \(onInvalid.rawValue)", "max_invalid_ratio \(maxInvalidRatio)"]
        for column in columns {
            let fields: [String?] = [
                "column \(column.name.utf8.count):\(column.name)", "type \(column.type.rawValue)",
                "required \(column.required)", "unique \(column.unique)", column.min.map { "min \($0)" },
                column.max.map { "max \($0)" }, column.pattern.map { "pattern \($0.utf8.count):\($0)" },
                column.accepted.map { "in " + $0.map { "\($0.utf8.count):\($0)" }.joined(separator: ",") },
                column.minLength.map { "min_length \($0)" }, column.maxLength.map { "max_length \($0)" },
                column.format.map { "format \($0.text.utf8.count):\($0.text)" }, column.scale.map { "scale \($0)" },
                "severity \(column.severity.rawValue)",
            ]
            lines.append(fields.compactMap { $0 }.joined(separator: " "))
        }
        for check in checks {
            var line = "check \(check.id) severity \(check.severity.rawValue)"
            switch check.kind {
            case .rowCount(let min, let max):
                line += " min \(min.map(String.init) ?? "-") max \(max.map(String.init) ?? "-")"
            case .freshness(_, let maxAge): line += " max_age \(maxAge.seconds)"
            case .unique, .references: break
            }
            lines.append(line)
        }
        return ObjectID.hashing(Data(lines.joined(separator: "\n").utf8)).hex
    }
}
