/// What a grant allows.
public enum Action: String, Sendable, Codable, CaseIterable {
    /// `unmask` lets `read` show PII columns and restricted datasets' values as they are; without it they
    /// are masked.
    case read, write, promote, delete, admin, unmask
}

/// `action:environment[:zone]`, e.g. `write:sandbox/*` or `read:prod:curated`.
public struct Grant: Hashable, Sendable, CustomStringConvertible {
    public var action: Action
    public var environment: EnvironmentPattern
    /// `nil` covers every zone.
    public var zone: String?

    public init(action: Action, environment: EnvironmentPattern, zone: String? = nil) {
        self.action = action
        self.environment = environment
        self.zone = zone
    }

    /// Parses `action:environment[:zone]`; returns a message for the operator when it cannot.
    public static func parse(_ text: String) -> Result<Grant, UsageError> {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
        guard (2...3).contains(parts.count) else {
            return .failure(UsageError("grant \(NameRules.quoted(text)) must be action:environment[:zone]"))
        }
        guard let action = Action(rawValue: parts[0]) else {
            let known = Action.allCases.map(\.rawValue).joined(separator: ", ")
            return .failure(
                UsageError(
                    "grant \(NameRules.quoted(text)) has unknown action \(NameRules.quoted(parts[0])) (one of \(known))"
                ))
        }
        guard let environment = EnvironmentPattern(parts[1]) else {
            return .failure(
                UsageError(
                    "grant \(NameRules.quoted(text)) has an invalid environment pattern \(NameRules.quoted(parts[1]))"))
        }
        var zone: String?
        if parts.count == 3 {
            guard NameRules.isSQLSafeIdentifier(parts[2]) || parts[2] == "*" else {
                return .failure(
                    UsageError("grant \(NameRules.quoted(text)) has an invalid zone \(NameRules.quoted(parts[2]))"))
            }
            zone = parts[2] == "*" ? nil : parts[2]
        }
        return .success(Grant(action: action, environment: environment, zone: zone))
    }

    public func covers(action: Action, environment: String, zone: String?) -> Bool {
        guard self.action == action, self.environment.matches(environment) else { return false }
        guard let ownZone = self.zone else { return true }
        return ownZone == zone
    }

    public var description: String {
        "\(action.rawValue):\(environment)" + (zone.map { ":\($0)" } ?? "")
    }
}
