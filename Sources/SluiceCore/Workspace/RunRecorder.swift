import Foundation

/// What a pipeline run records as it goes, once `requireRun` (or staging for a protected environment) let it
/// start: its record and heartbeat, the lineage of what it made, the earlier runs its cache reads. The runner
/// goes through this, never to the metadata store itself.
public struct RunRecorder: UseCase {
    public let context: EngineContext

    public init(context: EngineContext) { self.context = context }

    /// A run as stored, whoever may read it (the runner resuming it, the reproducer reading its outputs).
    public func storedRun(_ id: String) async throws -> RunRecord? { try await metadata.run(id) }

    /// Every run, newest first (gc's sweep of what killed runs left on disk).
    public func allRuns() async throws -> [RunRecord] { try await metadata.runs(pipeline: nil) }

    /// The runs of `pipeline`, newest first: what the cache may reuse.
    public func earlierRuns(pipeline: String) async throws -> [RunRecord] {
        try await metadata.runs(pipeline: pipeline)
    }

    /// Saves the record as it is now, beating.
    public func save(_ run: RunRecord) async throws { try await metadata.saveRun(run) }

    /// Says the run's process is alive.
    public func beat(_ id: String) async throws { try await metadata.beatRun(id, at: now()) }

    /// Marks the environment used now (its idle lifecycle starts again).
    public func touch(environment: String) async throws {
        try await metadata.touchEnvironment(environment, at: now())
    }

    /// How a version was made.
    public func saveLineage(_ record: LineageRecord) async throws { try await metadata.saveLineage(record) }
}

extension Workspace {
    /// The run's recorder over this workspace's context.
    public var recorder: RunRecorder { RunRecorder(context: context) }
}
