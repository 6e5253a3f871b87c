/// Who is acting, and how sure we are of it.
public struct Identity: Hashable, Sendable, CustomStringConvertible {
    /// The declared principal, `nil` for an anonymous reader.
    public var principal: String?
    public var role: Role?
    public var authentication: Authentication
    /// The token id when authenticated by token.
    public var tokenID: String?

    public init(principal: String?, role: Role?, authentication: Authentication, tokenID: String? = nil) {
        self.principal = principal
        self.role = role
        self.authentication = authentication
        self.tokenID = tokenID
    }

    /// The name used in audit events and commits.
    public var name: String { principal ?? "anonymous" }

    /// Grants held: the role's, or `read:*` for an anonymous reader (unless the project declares a role
    /// named `anonymous`, which then applies instead).
    public var grants: [Grant] { role?.grants ?? [] }

    public var description: String {
        switch authentication {
        case .token: return "\(name) (role \(role?.name ?? "none"), token \(tokenID ?? "?"))"
        case .claimed: return "\(name) (role \(role?.name ?? "none"), claimed by OS user name, no token)"
        case .anonymous: return "anonymous reader"
        }
    }
}

/// Resolves the acting identity: a token in `SLUICE_TOKEN`, else the OS user name when it matches a
/// declared principal, else an anonymous reader.
public struct IdentityResolver: Sendable {
    public let project: Project
    public let metadata: any MetadataStore

    public init(project: Project, metadata: any MetadataStore) {
        self.project = project
        self.metadata = metadata
    }

    /// The role anonymous readers hold: the project's `anonymous` role when declared, else `read:*`.
    public var anonymousRole: Role {
        project.roles["anonymous"]
            ?? Role(
                name: "anonymous", grants: [Grant(action: .read, environment: EnvironmentPattern("*")!)],
                location: project.location)
    }

    public func resolve(token: String?, osUser: String?) async throws -> Identity {
        if let token, !token.isEmpty {
            guard let record = try await metadata.token(secretHash: TokenSecret.hash(token)), record.isActive else {
                throw AccessDenied(
                    identity: Identity(principal: nil, role: nil, authentication: .anonymous),
                    message: "SLUICE_TOKEN holds a token that is unknown or revoked",
                    remedy: "ask an admin for a new token (sluice token create PRINCIPAL), or unset SLUICE_TOKEN")
            }
            guard let principal = project.principals[record.principal], let role = project.roles[principal.role] else {
                throw AccessDenied(
                    identity: Identity(
                        principal: record.principal, role: nil, authentication: .token, tokenID: record.id),
                    message: "the token belongs to \(record.principal), who is no longer declared in sluice.yaml",
                    remedy: "declare the principal again, or revoke the token (sluice token revoke \(record.id))")
            }
            return Identity(principal: principal.name, role: role, authentication: .token, tokenID: record.id)
        }
        if let osUser, let principal = project.principals[osUser], let role = project.roles[principal.role] {
            return Identity(principal: principal.name, role: role, authentication: .claimed)
        }
        return Identity(principal: nil, role: anonymousRole, authentication: .anonymous)
    }
}
