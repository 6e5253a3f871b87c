import Foundation

/// What an operation needs of the access policy. Decided, and a refusal audited, by
/// `EngineContext.authorize` for an operation; decided silently by `Visibility` for what a page lists.
public enum Permission: Sendable, Hashable {
    /// `action` on an environment, or on one zone of it.
    case environment(Action, String, zone: String? = nil)
    /// `action` on the whole of an environment or on any one of `zones` (a page about the environment shows
    /// what the caller may read of it).
    case someZone(Action, String, zones: [String])
    /// A read of a dataset in an environment: a grant covering its zone and a classification ceiling reaching it.
    case read(DatasetName, in: String)
    /// The logs of a step that reads or writes these datasets: a read of each, at its classification.
    case logs(Set<DatasetName>, in: String)
    /// The audit log (`read:audit` or `admin:*`).
    case auditReader
    /// The store-wide `admin:*`, proved with a token, for what the text says.
    case admin(String)
    /// Any grant at all, for what the text says (the project's outline is for its members).
    case someGrant(String)
    /// A refusal its caller decided by a rule of its own (a change without a session, a form from another
    /// site): never granted, always audited.
    case refused(String, remedy: String)

    /// What a refusal of it names when the operation refused gives no target of its own.
    var target: String {
        switch self {
        case .environment(_, let environment, let zone): zone.map { "\(environment):\($0)" } ?? environment
        case .someZone(_, let environment, _): environment
        case .read(let dataset, let environment): "\(environment):\(dataset)"
        case .logs(_, let environment): environment
        case .auditReader: "audit"
        case .admin, .someGrant, .refused: "store"
        }
    }
}

extension AccessPolicy {
    /// Throws `AccessDenied` unless `identity` holds `permission`.
    public func check(_ permission: Permission, by identity: Identity) throws {
        switch permission {
        case .environment(let action, let environment, let zone):
            try require(action, on: environment, zone: zone, by: identity)
        case .someZone(let action, let environment, let zones):
            for zone in zones where (try? require(action, on: environment, zone: zone, by: identity)) != nil { return }
            try require(action, on: environment, by: identity)
        case .read(let dataset, let environment): try requireRead(dataset, in: environment, by: identity)
        case .logs(let datasets, let environment): try requireLogs(touching: datasets, in: environment, by: identity)
        case .auditReader: try requireAuditReader(by: identity)
        case .admin(let what): try requireAdmin(by: identity, for: what)
        case .someGrant(let what): try requireSomeGrant(by: identity, for: what)
        case .refused(let message, let remedy):
            throw AccessDenied(identity: identity, message: message, remedy: remedy)
        }
    }
}
