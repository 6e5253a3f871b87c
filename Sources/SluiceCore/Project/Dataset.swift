/// Who may see a dataset's values.
public enum Classification: String, Sendable, Codable, CaseIterable, Comparable {
    case `public`, `internal`, confidential, restricted

    public static func < (lhs: Classification, rhs: Classification) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// A declared dataset: its owner, classification, contract and lifecycle.
public struct Dataset: Hashable, Sendable {
    public var name: DatasetName
    public var description: String?
    public var owner: String?
    public var classification: Classification?
    public var pii: [String]
    /// Columns in declared order; empty when the dataset declares no contract.
    public var columns: [ColumnSpec]
    public var checks: [TableCheck]
    public var onInvalid: InvalidRowPolicy
    public var maxInvalidRatio: Double
    public var lifecycle: Lifecycle?
    public var location: SourceLocation

    public init(name: DatasetName, location: SourceLocation) {
        self.name = name
        self.pii = []
        self.columns = []
        self.checks = []
        self.onInvalid = .reject
        self.maxInvalidRatio = 0
        self.location = location
    }
}
