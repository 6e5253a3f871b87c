import Foundation
import SluiceCore

/// The embedded defaults: a `.sluice/` folder holding the object store and the SQLite metadata database.
public struct LocalStore: Sendable {
    public let directory: URL
    public let objects: LocalObjectStore
    public let metadata: SQLiteMetadataStore

    /// Opens the store in `directory`, creating it on first use.
    public init(directory: URL) throws {
        self.directory = directory
        try FileIO.makeDirectory(directory.path)
        // Readable by its owner only: the steps of a run (another user when Sluice runs as root) and other
        // users of the machine never reach the data or the metadata except through the engine.
        chmod(directory.path, 0o700)
        let gitignore = directory.appendingPathComponent(".gitignore")
        if !FileManager.default.fileExists(atPath: gitignore.path) {
            try? Data("# Sluice's store: data and metadata, never committed.\n*\n".utf8).write(to: gitignore)
        }
        objects = try LocalObjectStore(root: directory)
        metadata = try SQLiteMetadataStore(path: directory.appendingPathComponent("metadata.sqlite").path)
    }
}
