import Foundation
import Logging
import SluiceCore

/// The project the service runs: in a git work tree, the one committed at the head of its branch, followed
/// as commits arrive (`GitFollower`); every request, scheduled run and landing trigger reads it at the moment
/// it starts. A commit whose project is not valid is refused and the one before stays in force, the refusal
/// shown by `/readyz`, `sluice status` and the UI.
public final class ProjectInForce: @unchecked Sendable {
    private let lock = NSLock()
    private var project: Project
    /// The copies of commits the service read, removed when it stops (a run may still read the one before).
    private var folders: [URL] = []
    private var refusedCommit: String?

    public init(_ project: Project, folder: URL? = nil) {
        self.project = project
        if let folder { folders.append(folder) }
    }

    public var current: Project { lock.withLock { project } }

    /// Keeps the copy the first project was read from, to remove with the others.
    func adopt(_ folder: URL) { lock.withLock { folders.append(folder) } }

    /// Puts a newly committed project in force.
    func replace(with next: Project, folder: URL) {
        lock.withLock {
            var next = next
            next.refusal = nil
            project = next
            folders.append(folder)
            refusedCommit = nil
        }
    }

    /// Keeps the project in force, saying why `commit` was refused; `false` when it was refused already.
    func refuse(_ commit: String, because reason: String) -> Bool {
        lock.withLock {
            guard refusedCommit != commit else { return false }
            refusedCommit = commit
            project.refusal = reason
            return true
        }
    }

    func wasRefused(_ commit: String) -> Bool { lock.withLock { refusedCommit == commit } }

    /// Removes every copy of a commit this service read.
    public func removeCopies() {
        let copies = lock.withLock { () -> [URL] in
            defer { folders.removeAll() }
            return folders
        }
        for folder in copies { try? FileManager.default.removeItem(at: folder) }
    }
}
