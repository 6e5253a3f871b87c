/// One file of a dataset version.
public struct ManifestFile: Hashable, Sendable, Codable {
    /// The file's name inside the version (its name at the source, without folders).
    public var name: String
    public var object: ObjectID
    public var bytes: Int64
    public var rows: Int64

    public init(name: String, object: ObjectID, bytes: Int64, rows: Int64) {
        self.name = name
        self.object = object
        self.bytes = bytes
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
