/// The hashed content of a commit: an immutable map dataset → version with its history.
public struct CommitContent: Hashable, Sendable, Codable {
    public var parents: [ObjectID]
    public var datasets: [String: ObjectID]
    public var actor: String
    public var message: String
    /// The project's git commit when the commit was made (`nil` outside git), with `-dirty` when the tree had changes.
    public var gitCommit: String?
    public var runID: String?
    public var createdAt: Timestamp

    public init(
        parents: [ObjectID], datasets: [String: ObjectID], actor: String, message: String, gitCommit: String?,
        runID: String? = nil, createdAt: Timestamp
    ) {
        self.parents = parents
        self.datasets = datasets
        self.actor = actor
        self.message = message
        self.gitCommit = gitCommit
        self.runID = runID
        self.createdAt = createdAt
    }
}

/// A commit; its id is the SHA-256 of its canonical content.
public struct Commit: Hashable, Sendable, Codable {
    public var id: ObjectID
    public var content: CommitContent

    public init(_ content: CommitContent) throws {
        self.id = ObjectID.hashing(try CanonicalJSON.encode(content))
        self.content = content
    }

    public func version(of dataset: DatasetName) -> ObjectID? { content.datasets[dataset.description] }
}

/// A dataset as one commit of a history holds it.
public struct DatasetAtCommit: Hashable, Sendable {
    public var commit: ObjectID
    public var createdAt: Timestamp
    public var actor: String
    /// `nil` when the commit holds no version of the dataset.
    public var version: ObjectID?

    public init(commit: ObjectID, createdAt: Timestamp, actor: String, version: ObjectID?) {
        self.commit = commit
        self.createdAt = createdAt
        self.actor = actor
        self.version = version
    }
}
