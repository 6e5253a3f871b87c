/// A stored API token: only the SHA-256 of the secret is kept.
public struct TokenRecord: Hashable, Sendable, Codable {
    /// Short public id for listing and revoking (the first 12 hex digits of the hash).
    public var id: String
    public var principal: String
    public var secretHash: String
    public var createdAt: Timestamp
    public var createdBy: String
    public var revokedAt: Timestamp?

    public init(
        id: String, principal: String, secretHash: String, createdAt: Timestamp, createdBy: String,
        revokedAt: Timestamp? = nil
    ) {
        self.id = id
        self.principal = principal
        self.secretHash = secretHash
        self.createdAt = createdAt
        self.createdBy = createdBy
        self.revokedAt = revokedAt
    }

    public var isActive: Bool { revokedAt == nil }

    /// Whether the id is still its hash's prefix, as creation made it (a swapped hash is not).
    public var hashMatchesID: Bool { id.count >= 12 && secretHash.hasPrefix(id) }
}

/// A token as listings show it: who holds it and when it was made or revoked, never its hash.
public struct TokenSummary: Hashable, Sendable, Codable {
    public var id: String
    public var principal: String
    public var createdAt: Timestamp
    public var createdBy: String
    public var revokedAt: Timestamp?

    public init(_ record: TokenRecord) {
        id = record.id
        principal = record.principal
        createdAt = record.createdAt
        createdBy = record.createdBy
        revokedAt = record.revokedAt
    }
}
