import Foundation

/// What the caller may see, decided from the policy in force: lists and pages hide what it may not read,
/// without auditing each hidden item as a refusal (an operation refused is audited by `authorize`). One
/// rule for the command line, the API and the UI.
public struct Visibility: Sendable {
    let policy: AccessPolicy
    let identity: Identity
    let project: Project

    /// Whether the caller holds `permission`.
    public func holds(_ permission: Permission) -> Bool { whyNot(permission) == nil }

    /// Why the caller does not hold `permission`, or nil when it does.
    public func whyNot(_ permission: Permission) -> String? {
        do {
            try policy.check(permission, by: identity)
            return nil
        } catch let denied as AccessDenied {
            return denied.message
        } catch {
            return "\(error)"
        }
    }

    /// Whether the caller may read something in `environment` (the whole of it, or one of its zones).
    public func mayRead(_ environment: String) -> Bool { holds(readingSomething(of: environment)) }

    /// A read of something in `environment`: the whole of it or one of its zones.
    public func readingSomething(of environment: String) -> Permission {
        .someZone(.read, environment, zones: project.zones.map(\.name))
    }

    public func mayRead(_ environment: String, zone: String?) -> Bool {
        holds(.environment(.read, environment, zone: zone))
    }

    public func mayRead(_ dataset: DatasetName, in environment: String) -> Bool {
        holds(.read(dataset, in: environment))
    }

    public func may(_ action: Action, on environment: String) -> Bool { holds(.environment(action, environment)) }

    public func isProtected(_ environment: String) -> Bool { policy.isProtected(environment) }

    /// Whether the caller may start a run into `environment`: a protected one needs `promote` (the run
    /// publishes by promotion), any other `write`.
    public func mayRun(into environment: String) -> Bool {
        may(isProtected(environment) ? .promote : .write, on: environment)
    }

    public var mayReadAudit: Bool { holds(.auditReader) }
}

extension EngineContext {
    public var visibility: Visibility { Visibility(policy: policy, identity: identity, project: project) }
}
