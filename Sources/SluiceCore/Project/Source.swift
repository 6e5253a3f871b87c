/// The format of files a source delivers.
public enum DataFormat: String, Sendable, Codable, CaseIterable {
    case csv
    case jsonl
}

/// How a source's deliveries make its dataset's versions.
public enum SourceMode: String, Sendable, Codable, CaseIterable {
    /// Each delivery adds its valid rows: the new version is the previous one plus the new files; a file
    /// already landed (the same path and bytes) never lands again. The default.
    case append
    /// The landing folder as a whole is the dataset: every ingest replaces it.
    case snapshot
}

/// Where incoming data lands and which first-zone dataset it feeds.
public struct Source: Hashable, Sendable {
    public var name: String
    /// A path or glob relative to the project root (`landing/orders/*.csv`).
    public var path: String
    public var format: DataFormat
    /// CSV field delimiter (one ASCII character).
    public var delimiter: UInt8
    public var into: DatasetName
    public var mode: SourceMode = .append
    public var location: SourceLocation

    public init(
        name: String, path: String, format: DataFormat, delimiter: UInt8 = UInt8(ascii: ","),
        into: DatasetName, location: SourceLocation
    ) {
        self.name = name
        self.path = path
        self.format = format
        self.delimiter = delimiter
        self.into = into
        self.location = location
    }
}
