/// What a promotion did.
public struct PromotionResult: Sendable, Codable {
    public var from: String
    public var to: String
    public var previous: ObjectID?
    public var commit: ObjectID
    public var gitCommit: String
    /// `true` when the target was already at the source's head.
    public var upToDate: Bool
    public var datasets: [String]
}

extension Workspace {
    /// Moves `target` to `source`'s head commit (write-audit-publish's publish): only as a fast-forward,
    /// only from a clean git work tree, only by a principal holding `promote` on the target (with a token
    /// when the target is protected). Nothing is copied: a ref moves.
    public func promote(from source: String, to target: String) async throws -> PromotionResult {
        let source = try validEnvironmentName(source)
        let target = try validEnvironmentName(target)
        return try await audited("promote", target: target, details: ["from": source]) {
            try policy.require(.promote, on: target, by: identity)
            try policy.require(.read, on: source, by: identity)
            guard source != target else { throw UsageError("cannot promote \(source) into itself") }
            let git = self.git.state(of: project.root)
            guard let gitCommit = git.commit else {
                throw FailureError(
                    "promotion needs the project in git: \(project.root.path) is not in a git repository with a commit\n"
                        + "hint: git init && git add -A && git commit -m 'project'")
            }
            guard git.isClean else {
                let listed = git.changes.prefix(10).joined(separator: "\n  ")
                throw FailureError(
                    "the project's git work tree has uncommitted changes; promotion only accepts work from a clean tree:\n  \(listed)"
                        + (git.changes.count > 10 ? "\n  … and \(git.changes.count - 10) more" : "")
                        + "\nhint: commit or stash them, then promote again")
            }
            let from = try await environmentRecord(source)
            let to = try await environmentRecord(target)
            guard let head = from.head, let headCommit = try await headCommit(of: from) else {
                throw UsageError("\(source) holds no data yet; nothing to promote")
            }
            let names = headCommit.content.datasets.keys.sorted()
            if to.head == head {
                return (
                    PromotionResult(
                        from: source, to: target, previous: head, commit: head, gitCommit: gitCommit, upToDate: true,
                        datasets: names),
                    ["commit": head.hex, "git": gitCommit, "noop": "true"]
                )
            }
            try await requirePassingGates(headCommit)
            let graph = CommitGraph(metadata: metadata)
            if let current = to.head, try await graph.ancestors(of: head)[current] == nil {
                throw ConflictError(
                    try await divergence(target: target, current: current, source: source, head: head, graph: graph))
            }
            try await moveEnvironment(to, to: head, reason: "promote from \(source)", gitCommit: gitCommit)
            try await metadata.touchEnvironment(source, at: now())
            let result = PromotionResult(
                from: source, to: target, previous: to.head, commit: head, gitCommit: gitCommit, upToDate: false,
                datasets: names)
            return (result, ["commit": head.hex, "previous": to.head?.hex ?? "empty", "git": gitCommit])
        }
    }

    /// Every dataset version being promoted must have passed its quality gate; names those that did not.
    private func requirePassingGates(_ commit: Commit) async throws {
        var problems: [String] = []
        for (name, version) in commit.content.datasets.sorted(by: { $0.key < $1.key }) {
            guard let run = try await metadata.checkRun(forVersion: version) else {
                problems.append("\(name) @ \(version.short): no quality gate result")
                continue
            }
            if !run.passed {
                let failed = run.report.failedChecks.map(\.id) + run.report.batchProblems
                problems.append("\(name) @ \(version.short): gate failed (\(failed.joined(separator: ", ")))")
            }
        }
        guard problems.isEmpty else {
            throw FailureError(
                "promotion refused: not every dataset passed its quality gate:\n  " + problems.joined(separator: "\n  ")
                    + "\nhint: re-ingest or rebuild those datasets so their gates pass, then promote again")
        }
    }

    /// Names the datasets that changed on the target since the common ancestor, which a fast-forward would lose.
    private func divergence(
        target: String, current: ObjectID, source: String, head: ObjectID, graph: CommitGraph
    ) async throws -> String {
        let base = try await graph.mergeBase(current, head)
        let baseDatasets = try await base.asyncMap { try await metadata.commit($0) }??.content.datasets ?? [:]
        let targetDatasets = try await metadata.commit(current)?.content.datasets ?? [:]
        let sourceDatasets = try await metadata.commit(head)?.content.datasets ?? [:]
        var diverged = targetDatasets.keys.filter { targetDatasets[$0] != baseDatasets[$0] }
        if diverged.isEmpty {
            diverged = Set(targetDatasets.keys).union(sourceDatasets.keys).filter {
                targetDatasets[$0] != sourceDatasets[$0]
            }
        }
        return "\(target) has commits that \(source) does not (a promotion must be a fast-forward); diverged datasets: "
            + diverged.sorted().joined(separator: ", ")
            + "\nhint: bring those changes into \(source) (or recreate it from \(target)), then promote again"
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
