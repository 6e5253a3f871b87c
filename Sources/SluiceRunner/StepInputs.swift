import Foundation
import SluiceCore

/// A step's input files, written where it reads them, read-only (files 0444 in a 0555 folder), and how each
/// looked when written: an attempt that changed one fails, since inputs are read-only.
final class StepInputs: @unchecked Sendable {
    let directory: URL
    private(set) var files: [DatasetName: URL] = [:]
    private var fingerprints: [DatasetName: String] = [:]

    init(directory: URL) { self.directory = directory }

    /// Writes every input version as a CSV file in `directory` (created only when there are inputs).
    func prepare(_ versions: [DatasetName: ObjectID], from session: RunSession) async throws {
        guard !versions.isEmpty else { return }
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: false)
        for (dataset, version) in versions {
            let url = directory.appendingPathComponent("\(dataset).csv")
            _ = try await session.materialize(version, to: url)
            try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: url.path)
            files[dataset] = url
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: directory.path)
        fingerprints = files.mapValues(Self.fingerprint)
    }

    /// The first input whose file is no longer as it was written.
    func changed() -> DatasetName? {
        files.first { Self.fingerprint($0.value) != fingerprints[$0.key] }?.key
    }

    /// Makes the folder removable again once the step is over.
    func release() {
        guard !files.isEmpty || FileManager.default.fileExists(atPath: directory.path) else { return }
        try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: directory.path)
    }

    static func fingerprint(_ url: URL) -> String {
        let attributes = try? FileManager.default.attributesOfItem(atPath: url.path)
        let size = attributes?[.size] as? Int64 ?? -1
        let modified = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? -1
        return "\(size)@\(modified)"
    }
}
