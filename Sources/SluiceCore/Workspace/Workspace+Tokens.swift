/// A newly created token: the secret is shown once and never stored.
public struct CreatedToken: Sendable, Codable {
    public var id: String
    public var principal: String
    public var secret: String
    /// `true` when this was the bootstrap token of a store without admin tokens.
    public var bootstrap: Bool
}

extension Workspace {
    /// Creates a token for `principal`. Needs a token-authenticated admin, except on a store that never
    /// had an admin token, where the first token may only name a principal holding `admin`.
    public func createToken(for principal: String) async throws -> CreatedToken {
        try await audited("token.create", target: principal) {
            guard project.principals[principal] != nil else {
                throw UsageError(
                    "no principal \(NameRules.quoted(principal)) in the project",
                    hint: "principals: \(project.principals.keys.sorted().joined(separator: ", "))")
            }
            let bootstrap = try await !hasEverHadAdminToken()
            if bootstrap {
                guard policy.principalIsAdmin(principal) else {
                    let admins = project.principals.keys.filter(policy.principalIsAdmin).sorted()
                    throw AccessDenied(
                        identity: identity,
                        message:
                            "this store has no admin token yet, so the first token must be for an admin, not \(principal)",
                        remedy:
                            "create the admin's token first: sluice token create \(admins.first ?? "ADMIN") (admins: \(admins.isEmpty ? "none declared" : admins.joined(separator: ", ")))"
                    )
                }
            } else {
                try policy.requireAdmin(by: identity, for: "create tokens")
            }
            let secret = TokenSecret.generate()
            let hash = TokenSecret.hash(secret)
            let record = TokenRecord(
                id: String(hash.prefix(12)), principal: principal, secretHash: hash, createdAt: now(),
                createdBy: identity.name)
            try await metadata.saveToken(record)
            return (
                CreatedToken(id: record.id, principal: principal, secret: secret, bootstrap: bootstrap),
                ["token": record.id, "bootstrap": "\(bootstrap)"]
            )
        }
    }

    public func revokeToken(id: String) async throws {
        try await audited("token.revoke", target: id) {
            try policy.requireAdmin(by: identity, for: "revoke tokens")
            guard try await metadata.revokeToken(id: id, at: now()) else {
                throw UsageError(
                    "no active token with id \(NameRules.quoted(id))", hint: "sluice token list shows the ids")
            }
            return ((), [:])
        }
    }

    public func listTokens() async throws -> [TokenRecord] {
        do {
            try policy.requireAdmin(by: identity, for: "list tokens")
        } catch let error as AccessDenied {
            try await record("token.list", target: "tokens", outcome: .denied, details: ["reason": error.message])
            throw error
        }
        return try await metadata.tokens()
    }

    /// Bootstrap is open only until the first admin token exists; revoking it later does not reopen it.
    private func hasEverHadAdminToken() async throws -> Bool {
        try await metadata.tokens().contains { policy.principalIsAdmin($0.principal) }
    }
}
