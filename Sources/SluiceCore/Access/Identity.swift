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

    /// Grants held: the role's; an anonymous caller holds the applied `anonymous` role's, else none.
    public var grants: [Grant] { role?.grants ?? [] }

    public var description: String {
        switch authentication {
        case .token: return "\(name) (role \(role?.name ?? "none"), token \(tokenID ?? "?"))"
        case .claimed: return "\(name) (role \(role?.name ?? "none"), claimed by OS user name, no token)"
        case .anonymous: return "anonymous reader"
        case .service: return "\(name) (role \(role?.name ?? "none"), the service on its schedule)"
        }
    }
}

/// Resolves the acting identity by the applied policy: a token in `SLUICE_TOKEN`, else the OS user name when
/// it is an applied principal, else an anonymous reader.
public struct IdentityResolver: Sendable {
    public let policy: AppliedPolicy
    public let metadata: any MetadataStore

    public init(policy: AppliedPolicy, metadata: any MetadataStore) {
        self.policy = policy
        self.metadata = metadata
    }

    /// The role anonymous callers hold: the applied `anonymous` role when there is one, else no grant at all.
    public var anonymousRole: Role {
        policy.role("anonymous")
            ?? Role(name: "anonymous", grants: [], location: SourceLocation(file: "default", line: 0, column: 0))
    }

    /// Resolves who is acting. A token that is unknown, revoked or of a principal no longer applied is
    /// refused with `AccessDenied`, which the caller audits.
    /// `resolve`, with a refused token recorded in the audit chain (`authenticate`, denied) before the error
    /// goes on: the one place where the command line and the service refuse tokens. A token record edited behind
    /// Sluice's back is recorded as anonymous's. A service passes `unknownTokens` to count tokens that match no
    /// record by client instead (its `SignInLimiter` records them a minute at a time, so that guessing cannot
    /// flood the chain).
    public func resolveAudited(
        token: String?, osUser: String?, at time: Timestamp, unknownTokens: (@Sendable () -> Void)? = nil
    ) async throws -> Identity {
        do {
            return try await resolve(token: token, osUser: osUser)
        } catch let denied as AccessDenied {
            if denied.identity.principal == nil, let unknownTokens {
                unknownTokens()
            } else {
                try await recordRefusal(by: denied.identity, reason: denied.message, at: time)
            }
            throw denied
        } catch let tampered as TamperedRecord {
            try await recordRefusal(
                by: Identity(principal: nil, role: nil, authentication: .anonymous), reason: tampered.what, at: time)
            throw tampered
        }
    }

    private func recordRefusal(by identity: Identity, reason: String, at time: Timestamp) async throws {
        _ = try await metadata.appendAudit(
            AuditDraft(
                time: time, principal: identity.name, authentication: identity.authentication,
                action: "authenticate", target: "token", outcome: .denied, details: ["reason": reason]))
        EngineMetrics.audited(action: "authenticate", outcome: .denied)
    }

    public func resolve(token: String?, osUser: String?) async throws -> Identity {
        if let token, !token.isEmpty {
            guard let record = try await metadata.token(secretHash: TokenSecret.hash(token)), record.isActive else {
                throw AccessDenied(
                    identity: Identity(principal: nil, role: nil, authentication: .anonymous),
                    message: "SLUICE_TOKEN holds a token that is unknown or revoked",
                    remedy: "ask an admin for a new token (sluice token create PRINCIPAL), or unset SLUICE_TOKEN")
            }
            try await requireAudited(record)
            guard let role = policy.role(ofPrincipal: record.principal) else {
                throw AccessDenied(
                    identity: Identity(
                        principal: record.principal, role: nil, authentication: .token, tokenID: record.id),
                    message: "the token belongs to \(record.principal), who is not a principal of the applied policy",
                    remedy:
                        "apply a policy declaring the principal again, or revoke the token (sluice token revoke \(record.id))"
                )
            }
            return Identity(principal: record.principal, role: role, authentication: .token, tokenID: record.id)
        }
        if let osUser, let role = policy.role(ofPrincipal: osUser) {
            return Identity(principal: osUser, role: role, authentication: .claimed)
        }
        return Identity(principal: nil, role: anonymousRole, authentication: .anonymous)
    }

    /// A stored token is trusted only as the audit chain made it: its id is its hash's prefix, an audited
    /// `token.create` made that id for that principal, and no audited `token.revoke` ended it. A row edited
    /// behind Sluice's back (a swapped hash, another principal, a revocation undone) acts as nobody.
    func requireAudited(_ record: TokenRecord) async throws {
        guard record.hashMatchesID else {
            throw TamperedRecord("token \(record.id)'s stored hash is not the one it was created with")
        }
        let created = try await metadata.auditEvents(action: "token.create", target: record.principal)
        guard created.contains(where: { $0.draft.outcome == .succeeded && $0.draft.details["token"] == record.id })
        else {
            throw TamperedRecord("token \(record.id) of \(record.principal) was never created for \(record.principal)")
        }
        let revoked = try await metadata.auditEvents(action: "token.revoke", target: record.id)
        guard !revoked.contains(where: { $0.draft.outcome == .succeeded }) else {
            throw TamperedRecord("token \(record.id) was revoked, but the store holds it as active")
        }
    }
}
