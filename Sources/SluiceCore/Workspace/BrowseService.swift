import Foundation

/// Reads for the web UI's pages, as the caller may see them: every list filtered by `Visibility` (what it
/// hides is not audited as a refusal; a page refused as a whole is, by `authorize`), and nothing counted as a
/// use of an environment (looking at the UI must not keep an idle sandbox alive).
public struct BrowseService: UseCase {
    public let context: EngineContext

    public init(context: EngineContext) { self.context = context }

    /// Stored environments the caller may read something in, in name order.
    public func readableEnvironments() async throws -> [EnvironmentRecord] {
        try await metadata.environments().filter { visibility.mayRead($0.name) }.sorted { $0.name < $1.name }
    }

    /// The newest gate result of every dataset in every environment the caller may read it in (only failed
    /// ones when `failedOnly`).
    public func latestChecks(failedOnly: Bool) async throws -> [CheckRun] {
        try await metadata.latestCheckRuns(failedOnly: failedOnly).filter {
            visibility.mayRead($0.dataset, in: $0.environment)
        }
    }

    /// Gate results of `dataset` in `environment`, newest first, at most `limit`, if the caller may read it.
    public func checkRuns(dataset: DatasetName, environment: String, limit: Int) async throws -> [CheckRun] {
        guard visibility.mayRead(dataset, in: environment) else { return [] }
        return try await metadata.checkRuns(dataset: dataset, environment: environment, page: PageRequest(limit: limit))
            .items
    }

    /// The newest `count` runs of each pipeline in environments the caller may read, newest first.
    public func recentRuns(perPipeline count: Int) async throws -> [RunSummary] {
        try await metadata.recentRuns(perPipeline: count).filter { visibility.mayRead($0.environment, zone: nil) }
    }

    /// Quarantined batches the caller may read, newest first.
    public func quarantines() async throws -> [QuarantineBatch] {
        try await QualityService(context: context).quarantineBatches().sorted { $0.at > $1.at }
    }

    /// The head commit of each of `environments` that the caller may read something in and that holds one.
    public func heads(of environments: [String]) async throws -> [String: Commit] {
        var heads: [String: Commit] = [:]
        for name in Set(environments) where visibility.mayRead(name) {
            if let record = try await metadata.environment(name), let commit = try await headCommit(of: record) {
                heads[name] = commit
            }
        }
        return heads
    }

    /// The stored facts (rows, bytes, when written) of `ids`, those the caller may read in `environment`.
    public func versions(_ ids: [ObjectID], in environment: String) async throws -> [ObjectID: DatasetVersion] {
        try await metadata.versions(ids).filter { visibility.mayRead($0.value.dataset, in: environment) }
    }

    /// The newest `limit` moves of `name`, each with the run whose commit it moved to, and how many there
    /// are in all. Refused (audited) unless the caller may read something in it.
    public func moves(of name: String, limit: Int) async throws -> (moves: [EnvironmentMove], total: Int) {
        try await authorize(visibility.readingSomething(of: name), action: "read", target: name)
        let history = try await metadata.environmentHistory(name).sorted { $0.at > $1.at }
        var moves: [EnvironmentMove] = []
        for move in history.prefix(limit) {
            moves.append(EnvironmentMove(move: move, run: try await metadata.commit(move.to)?.content.runID))
        }
        return (moves, history.count)
    }

    /// Where the audit chain stands (its newest event's number); for holders of `read:audit`.
    public func auditSequence() async throws -> Int64 {
        try await authorize(.auditReader, action: "audit.read", target: "audit")
        return try await metadata.auditHead()?.sequence ?? 0
    }
}

/// A move of an environment's ref, and the run that made the commit it moved to (if a run did).
public struct EnvironmentMove: Sendable, Hashable {
    public var move: RefMove
    public var run: String?
}

extension Workspace {
    /// The web UI's reads (`BrowseService`).
    public var browse: BrowseService { BrowseService(context: context) }
}
