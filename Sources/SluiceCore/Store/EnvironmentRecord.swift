/// An environment as stored: a named ref to a commit plus its bookkeeping.
public struct EnvironmentRecord: Hashable, Sendable, Codable {
    public var name: String
    /// `nil` while the environment holds no data yet.
    public var head: ObjectID?
    public var createdAt: Timestamp
    public var createdBy: String
    /// The environment it was created from, if any.
    public var base: String?
    /// Expire after this long without use (`--ttl`), overriding the declared lifecycle.
    public var ttl: TimeSpan?
    public var lastUsedAt: Timestamp

    public init(
        name: String, head: ObjectID?, createdAt: Timestamp, createdBy: String, base: String? = nil,
        ttl: TimeSpan? = nil, lastUsedAt: Timestamp? = nil
    ) {
        self.name = name
        self.head = head
        self.createdAt = createdAt
        self.createdBy = createdBy
        self.base = base
        self.ttl = ttl
        self.lastUsedAt = lastUsedAt ?? createdAt
    }
}

/// One move of an environment's ref, kept as its history (the reflog).
public struct RefMove: Hashable, Sendable, Codable {
    public var environment: String
    public var from: ObjectID?
    public var to: ObjectID
    public var actor: String
    public var reason: String
    public var gitCommit: String?
    public var at: Timestamp

    public init(
        environment: String, from: ObjectID?, to: ObjectID, actor: String, reason: String, gitCommit: String?,
        at: Timestamp
    ) {
        self.environment = environment
        self.from = from
        self.to = to
        self.actor = actor
        self.reason = reason
        self.gitCommit = gitCommit
        self.at = at
    }
}
