/// What a read shows masked: nothing, some columns (PII), or every value (a restricted dataset).
public enum DataMask: Sendable, Equatable {
    case none
    case columns(Set<String>)
    case all

    /// What stands in for a masked value.
    public static let placeholder = "***"

    public func masks(_ column: String) -> Bool {
        switch self {
        case .none: return false
        case .columns(let names): return names.contains(column)
        case .all: return true
        }
    }
}
