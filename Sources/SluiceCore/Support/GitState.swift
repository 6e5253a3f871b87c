import Foundation

/// What git says about the project folder: its commit, and whether the work tree is clean.
public struct GitState: Hashable, Sendable, Codable {
    /// `nil` when the folder is not in a git repository (or it has no commit yet).
    public var commit: String?
    /// Changed or untracked files (ignored files excluded), as `git status --porcelain` lists them.
    public var changes: [String]

    public init(commit: String?, changes: [String]) {
        self.commit = commit
        self.changes = changes
    }

    public var isClean: Bool { commit != nil && changes.isEmpty }

    /// The commit as recorded on Sluice commits: `-dirty` marks a tree with changes.
    public var recorded: String? { commit.map { changes.isEmpty ? $0 : "\($0)-dirty" } }
}

/// Reads the project's git state (the engine's one seam to git).
public protocol GitInspector: Sendable {
    func state(of folder: URL) async -> GitState
    /// The project files of the project at `folder` as they were at git revision `revision`, unpacked in a
    /// new private temporary folder (which the caller removes): the project's folder there, and the commit.
    func projectFiles(at revision: String, of folder: URL) throws -> (root: URL, commit: String)
}

extension GitInspector {
    public func projectFiles(at revision: String, of folder: URL) throws -> (root: URL, commit: String) {
        throw UsageError("earlier revisions of the project cannot be read here")
    }
}
