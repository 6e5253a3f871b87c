import Foundation

/// What several use cases share: names, versions, refs and the project's git state, all over the context.
extension UseCase {
    /// Moves an environment by compare-and-swap from the head it had when the operation started.
    /// The operation's audit event (with `details`) is appended in the same transaction.
    func moveEnvironment(
        _ record: EnvironmentRecord, to commit: ObjectID, reason: String, gitCommit: String?,
        details: [String: String] = [:]
    ) async throws {
        let move = RefMove(
            environment: record.name, from: record.head, to: commit, actor: identity.name, reason: reason,
            gitCommit: gitCommit,
            at: now())
        do {
            try await metadata.moveEnvironment(
                move, template: record, audit: inlineAudit(ref: record.name, head: commit, details))
            await checkpoint("ref.moved")
        } catch let conflict as ConflictError {
            throw ConflictError(
                "\(conflict.message)\nnothing of yours landed and the other change stands; run the command again to apply yours on top of it"
            )
        }
    }

    func resolveVersion(
        _ dataset: DatasetName, prefix: String?, in record: EnvironmentRecord
    ) async throws -> DatasetVersion {
        let head = try await headCommit(of: record)
        guard let prefix else {
            guard let id = head?.version(of: dataset), let version = try await metadata.version(id) else {
                throw UsageError(
                    "\(dataset) holds no data in \(record.name)", hint: "ingest it first, or pick another --env")
            }
            return version
        }
        guard prefix.count >= 4, ObjectID(hex: prefix.padding(toLength: 64, withPad: "0", startingAt: 0)) != nil else {
            throw UsageError(
                "\(NameRules.quoted(prefix)) is not a version id",
                hint: "use at least 4 hex digits of an id from sluice datasets show \(dataset)")
        }
        var reachable = Set<ObjectID>()
        if let head = record.head {
            for commit in try await CommitGraph(metadata: metadata).ancestors(of: head).keys {
                if let id = try await metadata.commit(commit)?.version(of: dataset) { reachable.insert(id) }
            }
        }
        let matches = try await metadata.versions(prefix: prefix, dataset: dataset).filter { reachable.contains($0.id) }
        guard matches.count == 1, let version = matches.first else {
            throw UsageError(
                matches.isEmpty
                    ? "no version \(prefix) of \(dataset) in \(record.name)'s history"
                    : "version prefix \(prefix) is ambiguous (\(matches.count) versions); give more digits")
        }
        return version
    }

    func datasetName(_ text: String) throws -> DatasetName {
        guard let name = DatasetName(text) else {
            throw UsageError(
                "\(NameRules.quoted(text)) is not a dataset name", hint: "datasets are named zone.name, e.g. raw.orders"
            )
        }
        return name
    }

    /// Records use of a stored environment (reads keep sandboxes alive).
    /// Stores ignore a touch of an environment that is not stored yet, so no lookup is needed first.
    /// Records a read's use of an environment. A full disk does not fail the read: the use goes unrecorded.
    func touch(_ record: EnvironmentRecord) async throws {
        do {
            try await metadata.touchEnvironment(record.name, at: now())
        } catch let full as StorageFull {
            logger.warning("\(full.what) failed: the disk is full; the use of \(record.name) is not recorded")
        }
    }

    /// The project's git commit as recorded with runs and commits.
    /// The git commit a change records: the one the project was read from, or else the work tree's
    /// (`-dirty` when it has changes).
    public func recordedGitCommit() async -> String? {
        if let committed = project.committed { return committed }
        return await git.state(of: project.root).recorded
    }
}
