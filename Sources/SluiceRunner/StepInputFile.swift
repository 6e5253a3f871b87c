import Foundation
import SluiceCore

extension RunSession {
    /// Writes a version's data to `url` as one CSV file, where a step reads it: a JSON Lines version is
    /// turned into the table the gate read (`JSONLinesTable`), its columns those the contract declares.
    func materialize(_ id: ObjectID, to url: URL) async throws -> DatasetVersion {
        guard try await inputVersion(id).manifest.format == .jsonl else {
            return try await write(id, to: url)
        }
        let lines = url.appendingPathExtension("jsonl")
        defer { try? FileManager.default.removeItem(at: lines) }
        let version = try await write(id, to: lines)
        let declared = project.datasets[version.dataset]?.columns.map(\.name) ?? []
        try JSONLinesTable.convert(lines, to: url, declared: declared)
        return version
    }

    private func write(_ id: ObjectID, to url: URL) async throws -> DatasetVersion {
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw InternalError("cannot create \(url.path) for a step input")
        }
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        return try await input(id) { try handle.write(contentsOf: $0) }
    }
}
