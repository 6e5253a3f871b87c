import Foundation
import SluiceCore

extension Workspace {
    /// Writes a version's data to `url` as one file, where a step reads it.
    func materialize(_ id: ObjectID, to url: URL) async throws -> DatasetVersion {
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw InternalError("cannot create \(url.path) for a step input")
        }
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        return try await materialize(id) { try handle.write(contentsOf: $0) }
    }
}
