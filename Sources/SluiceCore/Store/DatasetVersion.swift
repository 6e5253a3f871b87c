/// One stored piece of a file: files larger than the chunk size are split so that they hash and copy on
/// every core, and so that unchanged pieces of a grown file are stored once.
public struct ChunkRef: Hashable, Sendable, Codable {
    public var object: ObjectID
    public var bytes: Int64

    public init(object: ObjectID, bytes: Int64) {
        self.object = object
        self.bytes = bytes
    }
}

/// One file of a dataset version: its chunks, concatenated in order, are its bytes.
public struct ManifestFile: Hashable, Sendable, Codable {
    /// The file's path relative to the project (or its name, when it came from elsewhere).
    public var name: String
    public var chunks: [ChunkRef]
    public var bytes: Int64
    public var rows: Int64
    /// The digest of the file as it was delivered (before invalid records were cut or columns moved), which
    /// makes each delivery of an `append` source land once; `nil` for files that were not delivered.
    public var delivered: String?

    public init(name: String, chunks: [ChunkRef], rows: Int64) {
        self.name = name
        self.chunks = chunks
        self.bytes = chunks.reduce(0) { $0 + $1.bytes }
        self.rows = rows
    }
}

/// The content of a dataset version; its canonical JSON's SHA-256 is the version id.
public struct VersionManifest: Hashable, Sendable, Codable {
    public var dataset: DatasetName
    public var format: DataFormat
    public var files: [ManifestFile]
    /// Column names in file order.
    public var schema: [String]

    public init(dataset: DatasetName, format: DataFormat, files: [ManifestFile], schema: [String]) {
        self.dataset = dataset
        self.format = format
        self.files = files
        self.schema = schema
    }

    public var bytes: Int64 { files.reduce(0) { $0 + $1.bytes } }
    public var rows: Int64 { files.reduce(0) { $0 + $1.rows } }
}

/// An immutable dataset version: its manifest plus who made it and when (not part of the id, so the same
/// content ingested twice is the same version).
public struct DatasetVersion: Hashable, Sendable, Codable {
    public var id: ObjectID
    public var manifest: VersionManifest
    public var createdAt: Timestamp
    public var createdBy: String

    public init(manifest: VersionManifest, createdAt: Timestamp, createdBy: String) throws {
        self.id = ObjectID.hashing(try CanonicalJSON.encode(manifest))
        self.manifest = manifest
        self.createdAt = createdAt
        self.createdBy = createdBy
    }

    public var dataset: DatasetName { manifest.dataset }
}
