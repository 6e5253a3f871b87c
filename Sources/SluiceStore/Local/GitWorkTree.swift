import Foundation
import SluiceCore

/// Asks the `git` program on the PATH.
public struct GitWorkTree: GitInspector {
    public init() {}

    /// Runs `git` on a blocking thread, never on the cooperative pool.
    public func state(of folder: URL) async -> GitState {
        (try? await Blocking.run { stateNow(of: folder) }) ?? GitState(commit: nil, changes: [])
    }

    private func stateNow(of folder: URL) -> GitState {
        guard
            let commit = run(["rev-parse", "--verify", "-q", "HEAD"], in: folder)?.trimmingCharacters(
                in: .whitespacesAndNewlines),
            !commit.isEmpty
        else { return GitState(commit: nil, changes: []) }
        let status = run(["status", "--porcelain", "--untracked-files=normal", "--", "."], in: folder) ?? ""
        let changes = status.split(separator: "\n").map { String($0) }
        return GitState(commit: commit, changes: changes)
    }

    func run(_ arguments: [String], in folder: URL, to file: FileHandle? = nil) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", folder.path] + arguments
        let output = Pipe()
        process.standardOutput = file ?? output
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return nil
        }
        let data = file == nil ? output.fileHandleForReading.readDataToEndOfFile() : Data()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}
