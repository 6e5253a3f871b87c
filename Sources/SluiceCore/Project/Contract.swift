/// The type a column's values must have.
public enum ColumnType: String, Sendable, Codable, CaseIterable {
    case int, decimal, string, bool, date, timestamp
}

/// How bad a failed check is.
public enum CheckSeverity: String, Sendable, Codable {
    /// Fails the gate.
    case error
    /// Reported only.
    case warn
}

/// What ingestion does with a batch that has invalid rows.
public enum InvalidRowPolicy: String, Sendable, Codable {
    /// Nothing lands; the whole batch goes to quarantine.
    case reject
    /// Valid rows land; invalid rows go to quarantine with their reasons.
    case quarantineRows = "quarantine_rows"
}

/// The contract of one column.
public struct ColumnSpec: Hashable, Sendable {
    public var name: String
    public var type: ColumnType
    public var required: Bool
    public var unique: Bool
    public var min: Double?
    public var max: Double?
    public var pattern: String?
    public var accepted: [String]?
    public var minLength: Int?
    public var maxLength: Int?
    /// How a `date` or `timestamp` column is spelled (`%d/%m/%Y`); `nil` for ISO 8601.
    public var format: DateFormat?
    /// Digits after the point of a `decimal` column: what steps write is rounded half-even to it.
    public var scale: Int?
    public var severity: CheckSeverity
    public var location: SourceLocation

    public init(name: String, type: ColumnType, location: SourceLocation) {
        self.name = name
        self.type = type
        self.required = false
        self.unique = false
        self.severity = .error
        self.location = location
    }
}

/// A check over the whole table.
public enum TableCheckKind: Hashable, Sendable {
    case rowCount(min: Int?, max: Int?)
    case unique(columns: [String])
    case references(column: String, dataset: DatasetName, targetColumn: String)
    case freshness(column: String, maxAge: TimeSpan)
}

public struct TableCheck: Hashable, Sendable {
    public var kind: TableCheckKind
    public var severity: CheckSeverity
    public var location: SourceLocation

    public init(kind: TableCheckKind, severity: CheckSeverity, location: SourceLocation) {
        self.kind = kind
        self.severity = severity
        self.location = location
    }
}

extension TableCheck {
    /// The id reports and quarantine reasons give this check.
    public var id: String {
        switch kind {
        case .rowCount: return "row_count"
        case .unique(let columns): return "unique(\(columns.joined(separator: ",")))"
        case .references(let column, let target, let targetColumn):
            return "references(\(column)→\(target).\(targetColumn))"
        case .freshness(let column, _): return "freshness(\(column))"
        }
    }
}
