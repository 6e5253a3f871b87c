import Foundation
import SluiceCore

/// The folders a run works in, there while it runs and gone when it ends: its private scratch folder (its
/// inputs are nobody else's to read; a command step's user gets it for the run) and the folder its attempts
/// print into as they print, for `logs --follow` (the attempts keep their output as objects).
struct RunFolders {
    let scratch: URL
    let session: RunSession

    func withFolders<T>(_ body: (URL) async throws -> T) async throws -> T {
        let directory = scratch.appendingPathComponent("sluice-run-\(session.runID)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(
            at: directory, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(at: directory) }
        let live = session.liveLogFolder
        if let live {
            try FileManager.default.createDirectory(
                at: live, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        defer { if let live { try? FileManager.default.removeItem(at: live) } }
        return try await body(directory)
    }
}
