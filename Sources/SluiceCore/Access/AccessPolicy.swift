/// Decides whether an identity may act on an environment (and zone), by the applied policy (never by a
/// working tree's). Every operation asks before it runs.
public struct AccessPolicy: Sendable {
    public let applied: AppliedPolicy

    public init(applied: AppliedPolicy) {
        self.applied = applied
    }

    /// Whether the applied policy protects `environment`.
    public func isProtected(_ environment: String) -> Bool { applied.isProtected(environment) }

    /// Throws `AccessDenied` unless a grant of `identity` covers `action` on `environment` (and `zone`).
    /// Changes to a protected environment also need token authentication.
    public func require(_ action: Action, on environment: String, zone: String? = nil, by identity: Identity) throws {
        let target = zone.map { "\(environment):\($0)" } ?? environment
        let covered = identity.grants.contains { $0.covers(action: action, environment: environment, zone: zone) }
        guard covered else {
            let needed =
                "\(action.rawValue):\(environment)"
                + (zone.map { " (or \(action.rawValue):\(environment):\($0))" } ?? "")
            let holders = applied.roles { $0.covers(action: action, environment: environment, zone: zone) }
            let who =
                holders.isEmpty ? "no applied role holds it" : "roles holding it: \(holders.joined(separator: ", "))"
            throw AccessDenied(
                identity: identity,
                message: "\(identity.name) may not \(action.rawValue) \(target)",
                remedy: "a grant \(needed); \(who)")
        }
        if action != .read && isProtected(environment) && !identity.authentication.isVerified {
            throw AccessDenied(
                identity: identity,
                message: "\(environment) is protected and accepts changes only from a token-authenticated principal",
                remedy: "set SLUICE_TOKEN to a token of a principal holding \(action.rawValue):\(environment)")
        }
    }

    /// Throws `AccessDenied` unless `identity` may read `dataset` in `environment`: a `read` grant covering
    /// its zone, and a role whose classification ceiling reaches the dataset's applied classification.
    public func requireRead(_ dataset: DatasetName, in environment: String, by identity: Identity) throws {
        try require(.read, on: environment, zone: dataset.zone, by: identity)
        let level = applied.classification(of: dataset)
        let ceiling = identity.role?.classification ?? .public
        guard level <= ceiling else {
            let holders = applied.roles.filter { $0.value.classification >= level }.keys.sorted()
            throw AccessDenied(
                identity: identity,
                message:
                    "\(identity.name) may not read \(dataset): it is \(level.rawValue), and role \(identity.role?.name ?? "none") reads up to \(ceiling.rawValue)",
                remedy: "a role reading \(level.rawValue) data; roles that do: \(holders.joined(separator: ", "))")
        }
    }

    /// Throws `AccessDenied` unless `identity` may read every dataset in `datasets`, each at its classification:
    /// what a step's logs may show, since a step can print any value it reads or writes.
    public func requireLogs(touching datasets: Set<DatasetName>, in environment: String, by identity: Identity) throws {
        for dataset in datasets.sorted() {
            do {
                try requireRead(dataset, in: environment, by: identity)
            } catch let denied as AccessDenied {
                throw AccessDenied(
                    identity: identity,
                    message: "the step reads or writes \(dataset), and \(denied.message)", remedy: denied.remedy)
            }
        }
    }

    /// What a read of `dataset` by `identity` shows masked: nothing with an `unmask` grant covering it;
    /// otherwise every value of a restricted dataset, and the values of its PII columns.
    public func mask(for dataset: DatasetName, in environment: String, by identity: Identity) -> DataMask {
        if identity.grants.contains(where: { $0.covers(action: .unmask, environment: environment, zone: dataset.zone) })
        {
            return .none
        }
        if applied.classification(of: dataset) == .restricted { return .all }
        let pii = applied.datasets[dataset.description]?.pii ?? []
        return pii.isEmpty ? .none : .columns(Set(pii))
    }

    /// Throws `AccessDenied` unless `identity` may read the audit log: `read:audit` (a grant of its own, which
    /// `read:*` does not hold, since the log names every principal's actions on every environment) or `admin:*`.
    /// One rule for the command line, the API and the UI, anonymous callers included.
    public func requireAuditReader(by identity: Identity) throws {
        guard identity.grants.contains(where: { $0.isGlobalAdmin || $0.readsAudit }) else {
            let holders = applied.roles(holding: { $0.isGlobalAdmin || $0.readsAudit })
            throw AccessDenied(
                identity: identity, message: "\(identity.name) may not read the audit log",
                remedy:
                    "a grant read:audit (admin:* holds it too); roles holding one: \(holders.isEmpty ? "none applied" : holders.joined(separator: ", "))"
            )
        }
    }

    /// Throws `AccessDenied` unless `identity` holds the store-wide `admin:*` grant and proved it with a
    /// token. A grant scoped to some environments (`admin:sandbox/*`) is not enough: tokens and the policy
    /// govern the whole store.
    public func requireAdmin(by identity: Identity, for what: String) throws {
        guard identity.grants.contains(where: \.isGlobalAdmin) else {
            let holders = applied.roles(holding: \.isGlobalAdmin)
            throw AccessDenied(
                identity: identity, message: "\(identity.name) may not \(what)",
                remedy:
                    "a grant admin:*; roles holding it: \(holders.isEmpty ? "none applied" : holders.joined(separator: ", "))"
            )
        }
        guard identity.authentication == .token else {
            throw AccessDenied(
                identity: identity, message: "\(what) needs a token-authenticated admin, not a claimed identity",
                remedy: "set SLUICE_TOKEN to the admin's token")
        }
    }

    /// Throws `AccessDenied` unless `identity` holds at least one grant: the project's outline (pipelines,
    /// steps) is for its members, not for any holder of a token whose role grants nothing.
    public func requireSomeGrant(by identity: Identity, for what: String) throws {
        guard identity.grants.isEmpty else { return }
        throw AccessDenied(
            identity: identity, message: "\(identity.name) may not \(what): its role grants nothing",
            remedy: "a role with at least one grant, e.g. read:\(applied.environments.first?.pattern ?? "dev")")
    }

    /// Whether a principal (by its applied role) holds the store-wide `admin:*`.
    public func principalIsAdmin(_ name: String) -> Bool {
        applied.role(ofPrincipal: name)?.grants.contains(where: \.isGlobalAdmin) ?? false
    }
}

extension Grant {
    /// `admin:*` on every zone: the only grant that administers tokens and the policy.
    public var isGlobalAdmin: Bool { action == .admin && environment.text == "*" && zone == nil }
    /// `read:audit`: the audit log (not an environment; no pattern such as `read:*` covers it).
    public var readsAudit: Bool { action == .read && environment.text == "audit" && zone == nil }
}
