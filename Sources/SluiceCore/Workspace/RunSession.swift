import Foundation

/// One pipeline run that `RunService.begin` let start: everything the run does to the store from then on goes
/// through it (inputs read, outputs checked and staged, attempt output kept, lineage, heartbeat, landing and
/// the end), and every grant it relies on was checked once, at `begin`. The executor (`PipelineRunner`) only
/// schedules steps over it. It is the object that will carry a worker's lease and fencing token.
public struct RunSession: Sendable {
    let context: EngineContext
    public let pipeline: Pipeline
    public let graph: StepGraph
    /// The steps this run makes (indices of `graph`); the others' outputs come from the environment.
    public let selected: Set<Int>
    /// The record as saved by `begin`.
    public let started: RunRecord
    /// What the environment the run works in held when it began.
    public let head: Commit?
    /// The failed run this one finishes (`--resume`).
    public let previous: RunRecord?
    /// Whether steps may reuse outputs of earlier runs with their cache key (`cached`).
    let useCache: Bool
    /// The environment the run works in (`nil` for a detached session, which lands nothing).
    let environment: EnvironmentRecord?
    /// The run's target is protected: it works in a staging environment and publishes by promotion.
    let protected: Bool
    let lineage: RunLineageEmitter?
    /// The versions this session made (outputs staged, fixtures kept) or reuses from the cache: steps may read them.
    let made = MadeVersions()
    /// For a detached session: where the versions it reads must be readable by the caller.
    let readsFrom: String?

    init(
        context: EngineContext, pipeline: Pipeline, graph: StepGraph, selected: Set<Int>, started: RunRecord,
        head: Commit?, previous: RunRecord?, useCache: Bool, environment: EnvironmentRecord?, protected: Bool,
        readsFrom: String? = nil
    ) {
        self.readsFrom = readsFrom
        self.context = context
        self.pipeline = pipeline
        self.graph = graph
        self.selected = selected
        self.started = started
        self.head = head
        self.previous = previous
        self.useCache = useCache
        self.environment = environment
        self.protected = protected
        lineage = environment == nil ? nil : RunLineageEmitter(context: context, logger: context.logger)
    }

    public var runID: String { started.id }
    public var project: Project { context.project }
    public var files: any EngineFiles { context.files }
    public func now() -> Timestamp { context.now() }
    /// Where attempts print as they print, for `logs --follow`.
    public var liveLogFolder: URL? { LiveLogService(context: context).liveLogFolder(run: runID) }

    // MARK: Steps

    /// The stored facts of a version the run reads (its format decides how the step gets it). A run reads only
    /// what `begin` let it: a version its environment holds, one it made, or one an earlier run of the pipeline
    /// made that it reuses; a detached session also what the caller may read where it reads from.
    public func inputVersion(_ id: ObjectID) async throws -> DatasetVersion {
        guard let version = try await context.metadata.version(id) else {
            throw InternalError("version \(id.short) is missing from the store; run sluice verify")
        }
        if !mayRead(id) {
            try await context.authorize(
                .read(version.dataset, in: readsFrom ?? started.workEnvironment), action: "read",
                target: "\(readsFrom ?? started.workEnvironment):\(version.dataset)")
        }
        return version
    }

    /// Hands an input version's data to `sink` as one file's bytes (CSV files after the first lose their header).
    public func input(_ id: ObjectID, into sink: (Data) throws -> Void) async throws -> DatasetVersion {
        _ = try await inputVersion(id)
        return try await RunStagingService(context: context).materialize(id, into: sink)
    }

    private func mayRead(_ id: ObjectID) -> Bool {
        if made.contains(id) || head?.content.datasets.values.contains(id) == true { return true }
        return previous?.steps.contains { $0.outputs.values.contains(id) } == true
    }

    /// Outputs an earlier run of the pipeline made with this cache key, which the step may reuse (`nil` without
    /// the cache); the run may then read them.
    public func cached(_ step: String, key: String) async throws -> CachedStep? {
        guard useCache,
            let found = try await context.metadata.cachedStep(pipeline: pipeline.name, step: step, cacheKey: key)
        else { return nil }
        for version in found.outputs.values { made.insert(version) }
        return found
    }

    /// Checks a step's output file against its contract and stores it as a version, not yet in any environment
    /// (`RunStagingService.stageOutput`).
    public func stage(
        _ name: DatasetName, file: URL, step: String, deferring: Set<DatasetName>
    ) async throws -> (version: DatasetVersion, report: ValidationReport) {
        let staged = try await RunStagingService(context: context).stageOutput(
            name, file: file, environment: "run \(runID)", head: head, origin: "run \(runID) step \(step)",
            deferring: deferring)
        made.insert(staged.version.id)
        return staged
    }

    /// Keeps what an attempt printed; `nil` for nothing.
    public func keep(output data: Data) async throws -> ObjectID? {
        data.isEmpty ? nil : try await context.objects.put(data)
    }

    /// Stores a file as a version of `dataset` without checking it and without any environment: a step test's
    /// fixture. Only a detached session (a step test's) keeps fixtures.
    public func storeFixture(_ dataset: DatasetName, file: URL) async throws -> ObjectID {
        guard environment == nil else { throw InternalError("a pipeline run keeps no fixtures") }
        let id = try await RunStagingService(context: context).storeFixture(dataset, file: file)
        made.insert(id)
        return id
    }

    /// How a version was made. A detached session's outputs (a step test's, a reproduction's) record none: only
    /// a run that `begin` let start says how a version was made.
    public func saveLineage(_ record: LineageRecord) async throws {
        guard environment != nil else { return }
        try await context.metadata.saveLineage(record)
    }

    // MARK: The record

    /// Only a session `begin` made keeps a record, and only its own.
    private func requireBegun(_ run: RunRecord) throws {
        guard environment != nil, run.id == runID else {
            throw InternalError("a detached session, or a session of another run, keeps no run record")
        }
    }

    /// Saves the record as it is now, beating (returned as saved); queues the OpenLineage events it shows.
    @discardableResult
    public func save(_ run: RunRecord) async throws -> RunRecord {
        try requireBegun(run)
        var run = run
        run.heartbeatAt = now()
        try await context.metadata.saveRun(run)
        await lineage?.observe(run)
        return run
    }

    /// Says the run's process is alive.
    public func beat() async throws {
        try requireBegun(started)
        try await context.metadata.beatRun(runID, at: now())
    }

    /// Saves the run's end (returned as saved) and seals it in the audit chain.
    public func end(_ run: RunRecord) async throws -> RunRecord {
        let saved = try await save(run)
        try await RunService(context: context).recordRunEnded(saved)
        return saved
    }
}

/// The versions a session made, shared by its concurrent steps.
final class MadeVersions: @unchecked Sendable {
    private let lock = NSLock()
    private var ids = Set<ObjectID>()

    func insert(_ id: ObjectID) { lock.withLock { _ = ids.insert(id) } }
    func contains(_ id: ObjectID) -> Bool { lock.withLock { ids.contains(id) } }
}
