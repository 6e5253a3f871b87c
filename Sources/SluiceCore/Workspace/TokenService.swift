/// A newly created token: the secret is shown once and never stored.
public struct CreatedToken: Sendable, Codable, Hashable {
    public var id: String
    public var principal: String
    public var secret: String
    /// `true` when this was the bootstrap token of a store without admin tokens.
    public var bootstrap: Bool
}

/// Tokens: created (admins), listed, revoked; only their hashes are stored.
public struct TokenService: UseCase {
    public let context: EngineContext

    public init(context: EngineContext) { self.context = context }

    /// Creates a token for `principal`. Needs a token-authenticated store-wide admin, except for the
    /// bootstrap: the first token a store ever holds, which may only be an admin's, is saved with its audit
    /// event in one transaction that fails if any token exists, so two racing bootstraps make one token and
    /// revoking tokens never reopens it.
    public func createToken(for principal: String) async throws -> CreatedToken {
        guard NameRules.isIdentifier(principal) else {
            throw UsageError(
                "\(NameRules.quoted(principal)) is not a principal name",
                hint: "principals are named with lower-case letters, digits, _ and -, as in sluice.yaml")
        }
        let secret = TokenSecret.generate()
        let hash = TokenSecret.hash(secret)
        let record = TokenRecord(
            id: String(hash.prefix(12)), principal: principal, secretHash: hash, createdAt: now(),
            createdBy: identity.name)
        if try await metadata.tokens().isEmpty, policy.applied.principals[principal] != nil,
            policy.principalIsAdmin(principal)
        {
            let draft = AuditDraft(
                time: now(), principal: identity.name, authentication: identity.authentication,
                action: "token.create", target: principal, outcome: .succeeded,
                details: ["token": record.id, "bootstrap": "true"])
            if try await metadata.saveFirstToken(record, audit: draft) != nil {
                return CreatedToken(id: record.id, principal: principal, secret: secret, bootstrap: true)
            }
        }
        return try await audited("token.create", target: principal) {
            guard policy.applied.principals[principal] != nil else {
                throw UsageError.notFound(
                    "no principal \(NameRules.quoted(principal)) in the applied policy",
                    hint: "principals: \(policy.applied.principals.keys.sorted().joined(separator: ", "))")
            }
            if try await metadata.tokens().isEmpty {
                let admins = policy.applied.principals.keys.filter(policy.principalIsAdmin).sorted()
                try await authorize(
                    .refused(
                        "this store has no token yet, so the first token must be for an admin, not \(principal)",
                        remedy:
                            "create the admin's token first: sluice token create \(admins.first ?? "ADMIN") (admins: \(admins.isEmpty ? "none applied" : admins.joined(separator: ", ")))"
                    ))
            }
            try await authorize(.admin("create tokens"))
            try await metadata.saveToken(record)
            return (
                CreatedToken(id: record.id, principal: principal, secret: secret, bootstrap: false),
                ["token": record.id, "bootstrap": "false"]
            )
        }
    }

    public func revokeToken(id: String) async throws {
        try await audited("token.revoke", target: id) {
            try await authorize(.admin("revoke tokens"))
            guard try await metadata.revokeToken(id: id, at: now()) else {
                throw UsageError.notFound(
                    "no active token with id \(NameRules.quoted(id))", hint: "sluice token list shows the ids")
            }
            return ((), [:])
        }
    }

    public func listTokens() async throws -> [TokenSummary] {
        try await authorize(.admin("list tokens"), action: "token.list", target: "tokens")
        return try await metadata.tokens().map(TokenSummary.init)
    }
}
