/// Decides whether an identity may act on an environment (and zone). Every operation asks before it runs.
public struct AccessPolicy: Sendable {
    public let project: Project

    public init(project: Project) {
        self.project = project
    }

    /// Throws `AccessDenied` unless a grant of `identity` covers `action` on `environment` (and `zone`).
    /// Changes to a protected environment also need token authentication.
    public func require(_ action: Action, on environment: String, zone: String? = nil, by identity: Identity) throws {
        let target = zone.map { "\(environment):\($0)" } ?? environment
        let covered = identity.grants.contains { $0.covers(action: action, environment: environment, zone: zone) }
        guard covered else {
            let needed =
                "\(action.rawValue):\(environment)"
                + (zone.map { " (or \(action.rawValue):\(environment):\($0))" } ?? "")
            let holders = rolesHolding(action, environment: environment, zone: zone)
            let who =
                holders.isEmpty ? "no declared role holds it" : "roles holding it: \(holders.joined(separator: ", "))"
            throw AccessDenied(
                identity: identity,
                message: "\(identity.name) may not \(action.rawValue) \(target)",
                remedy: "a grant \(needed); \(who)")
        }
        if action != .read && project.isProtected(environment) && identity.authentication != .token {
            throw AccessDenied(
                identity: identity,
                message: "\(environment) is protected and accepts changes only from a token-authenticated principal",
                remedy: "set SLUICE_TOKEN to a token of a principal holding \(action.rawValue):\(environment)")
        }
    }

    /// Throws `AccessDenied` unless `identity` holds `admin` on some environment.
    public func requireAdmin(by identity: Identity, for what: String) throws {
        guard identity.grants.contains(where: { $0.action == .admin }) else {
            let holders = project.roles.values.filter { $0.grants.contains { $0.action == .admin } }.map(\.name)
                .sorted()
            throw AccessDenied(
                identity: identity, message: "\(identity.name) may not \(what)",
                remedy:
                    "a grant admin:*; roles holding it: \(holders.isEmpty ? "none declared" : holders.joined(separator: ", "))"
            )
        }
        guard identity.authentication == .token else {
            throw AccessDenied(
                identity: identity, message: "\(what) needs a token-authenticated admin, not a claimed identity",
                remedy: "set SLUICE_TOKEN to the admin's token")
        }
    }

    /// Whether a principal (by its declared role) holds `admin`.
    public func principalIsAdmin(_ name: String) -> Bool {
        guard let principal = project.principals[name], let role = project.roles[principal.role] else { return false }
        return role.grants.contains { $0.action == .admin }
    }

    private func rolesHolding(_ action: Action, environment: String, zone: String?) -> [String] {
        project.roles.values.filter { role in
            role.grants.contains { $0.covers(action: action, environment: environment, zone: zone) }
        }.map(\.name).sorted()
    }
}
