import Foundation
import SluiceCore

extension GitWorkTree {
    /// The project files (`sluice.yaml`, `datasets/`, `pipelines/`, `models/`) of the project at `folder` as
    /// they were at git revision `revision`, in a new private temporary folder; the folder that holds the
    /// project there, and the commit the revision names. The revision is never read as an option.
    public func projectFiles(at revision: String, of folder: URL) throws -> (root: URL, commit: String) {
        guard !revision.isEmpty, !revision.hasPrefix("-"), !revision.contains(where: \.isNewline) else {
            throw UsageError("\(NameRules.quoted(revision)) is not a git revision")
        }
        guard
            let commit = run(["rev-parse", "--verify", "-q", "--end-of-options", "\(revision)^{commit}"], in: folder)?
                .trimmingCharacters(in: .whitespacesAndNewlines), !commit.isEmpty
        else {
            throw UsageError(
                "git knows no commit \(NameRules.quoted(revision)) in \(folder.path)",
                hint: "name a branch, a tag or a commit, e.g. --against origin/main")
        }
        let prefix = run(["rev-parse", "--show-prefix"], in: folder)?.trimmingCharacters(in: .whitespacesAndNewlines)
        // Everything the project's folder holds in the commit (its steps may name any file), but a store.
        let names =
            run(["ls-tree", "-z", "--name-only", "\(commit):\(prefix ?? "")"], in: folder)?
            .split(separator: "\0").map(String.init) ?? []
        let paths = names.filter { $0 != ".sluice" }.map { (prefix ?? "") + $0 }
        guard paths.contains((prefix ?? "") + "sluice.yaml") else {
            throw UsageError("commit \(commit.prefix(12)) has no \(ProjectLoader.projectFileName) for this project")
        }
        Self.sweepCopies()
        let target = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sluice-rev-\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: target, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let archive = target.appendingPathComponent("project.tar")
        _ = FileManager.default.createFile(atPath: archive.path, contents: nil, attributes: [.posixPermissions: 0o600])
        let handle = try FileHandle(forWritingTo: archive)
        defer { try? handle.close() }
        guard run(["archive", "--format=tar", commit, "--"] + paths, in: folder, to: handle) != nil else {
            throw UsageError("git could not export commit \(commit.prefix(12))")
        }
        let tar = Process()
        tar.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        tar.arguments = ["tar", "-x", "--no-same-owner", "-f", archive.path, "-C", target.path]
        try tar.run()
        tar.waitUntilExit()
        try? FileManager.default.removeItem(at: archive)
        guard tar.terminationStatus == 0 else {
            throw UsageError("the files of commit \(commit.prefix(12)) could not be unpacked")
        }
        return (target.appendingPathComponent(prefix ?? ""), commit)
    }

    /// Removes the copies that processes no longer running left behind (a service killed with SIGKILL cannot
    /// remove its own): each copy's name carries the process that made it.
    static func sweepCopies() {
        let temporary = FileManager.default.temporaryDirectory
        let names = (try? FileManager.default.contentsOfDirectory(atPath: temporary.path)) ?? []
        for name in names where name.hasPrefix("sluice-rev-") {
            let parts = name.split(separator: "-")
            guard parts.count > 3, let pid = pid_t(parts[2]), pid > 0, kill(pid, 0) == -1, errno == ESRCH else {
                continue
            }
            try? FileManager.default.removeItem(at: temporary.appendingPathComponent(name))
        }
    }
}
