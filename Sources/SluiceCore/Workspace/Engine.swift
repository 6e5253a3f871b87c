import Foundation

/// What a caller may ask of Sluice, acting as one principal: the command line's operations. `Workspace`
/// carries them out on a store it opened (local mode); `RemoteEngine` asks `sluice serve` over HTTP with the
/// caller's token (server mode). Both return the same values, so the command line prints the same either way.
public protocol Engine: Sendable {
    /// The project as the engine loaded it.
    func project() async throws -> ProjectSummary
    func status() async throws -> StatusReport

    func listEnvironments() async throws -> [EnvironmentSummary]
    func createEnvironment(_ name: String, from source: String?, ttl: TimeSpan?) async throws -> EnvironmentSummary
    func deleteEnvironment(_ name: String) async throws -> EnvironmentRecord
    func resetEnvironment(_ name: String, to other: String) async throws -> EnvironmentSummary
    func log(of environment: String?, limit: Int) async throws -> [Commit]
    func promote(from source: String, to target: String) async throws -> PromotionResult

    func datasets(in environment: String?) async throws -> [DatasetEntry]
    func datasetDetails(_ name: String, in environment: String?) async throws -> DatasetDetails
    /// Streams a version's data (PII masked for whoever may not see it) to `sink`.
    func stream(_ reference: String, in environment: String?, to sink: (Data) throws -> Void) async throws
    func checkRuns(dataset: String?, environment: String?) async throws -> [CheckRun]
    /// Checks a file against a dataset's contract; changes nothing.
    func check(file: URL, against name: String, in environment: String?) async throws -> ValidationReport
    func lineage(
        _ reference: String, in environment: String?, directions: LineageDirections
    ) async throws
        -> LineageNode
    /// The lineage as OpenLineage RunEvents, each one JSON object.
    func openLineageEvents(
        _ reference: String, in environment: String?, directions: LineageDirections
    )
        async throws -> [Data]
    /// Ingests a source's files (its landing path when `upload` is nil, else the one file given).
    func ingest(source: String, environment: String?, upload: URL?) async throws -> IngestResult

    func quarantineBatches() async throws -> [QuarantineBatch]
    func quarantineBatch(_ id: String) async throws -> QuarantineBatch
    func streamQuarantine(_ id: String, to sink: (Data) throws -> Void) async throws

    func runPage(_ filter: RunFilter, page: PageRequest) async throws -> Page<RunRecord>
    func runRecord(_ id: String) async throws -> RunRecord
    func attemptLogs(run id: String, step: String?) async throws -> [AttemptLog]
    /// Hands `emit` the run's output as its steps print it, until the run ends.
    func followLogs(run id: String, step: String?, emit: (LogChunk) async throws -> Void) async throws
    func cancelRun(_ id: String) async throws -> Workspace.CancelOutcome

    func createToken(for principal: String) async throws -> CreatedToken
    func listTokens() async throws -> [TokenSummary]
    func revokeToken(id: String) async throws

    func auditPage(_ filter: AuditFilter, page: PageRequest) async throws -> Page<AuditEvent>
    func verifyAudit() async throws -> AuditVerification
    func verifyStore() async throws -> StoreVerification
    func collectGarbage(dryRun: Bool, grace: TimeSpan) async throws -> GCReport
    func planPolicy(against: String?) async throws -> PolicyPlan
    func applyPolicy() async throws -> PolicyPlan
}

/// The project a service runs: what a client needs to know of it without its files.
public struct ProjectSummary: Sendable, Codable, Hashable {
    public var name: String
    public var root: String
    public var defaultEnvironment: String
    /// Each pipeline's steps, by name.
    public var pipelines: [String: [String]]
    /// Each pipeline's steps' attempts (1 plus retries), by step name: a remote run reports retries as a local one.
    public var attempts: [String: [String: Int]]?

    public init(_ project: Project) {
        name = project.name
        root = project.root.path
        defaultEnvironment = project.defaultEnvironment
        pipelines = project.pipelines.mapValues { $0.steps.map(\.name) }
        attempts = project.pipelines.mapValues { pipeline in
            Dictionary(pipeline.steps.map { ($0.name, $0.retries.attempts) }, uniquingKeysWith: { first, _ in first })
        }
    }
}

extension Workspace: Engine {
    public func project() async throws -> ProjectSummary { ProjectSummary(project) }

    public func createEnvironment(
        _ name: String, from source: String?, ttl: TimeSpan?
    ) async throws -> EnvironmentSummary {
        try await createEnvironment(name, from: source ?? project.defaultEnvironment, ttl: ttl)
    }

    public func stream(
        _ reference: String, in environment: String?, to sink: (Data) throws -> Void
    ) async throws {
        try await cat(reference, in: environment) { (bytes: UnsafeRawBufferPointer) in try sink(Data(bytes)) }
    }

    public func openLineageEvents(
        _ reference: String, in environment: String?, directions: LineageDirections
    ) async throws -> [Data] {
        let root = try await lineage(reference, in: environment, directions: directions)
        return try await openLineageEvents(root, in: environment ?? project.defaultEnvironment).map {
            try JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys, .withoutEscapingSlashes])
        }
    }

    public func ingest(source: String, environment: String?, upload: URL?) async throws -> IngestResult {
        try await ingest(source: source, environment: environment, files: upload.map { [$0] } ?? [])
    }

    public func streamQuarantine(_ id: String, to sink: (Data) throws -> Void) async throws {
        try await catQuarantine(id) { (bytes: UnsafeRawBufferPointer) in try sink(Data(bytes)) }
    }

    public func cancelRun(_ id: String) async throws -> CancelOutcome {
        try await cancelRun(id, stopInProcess: { _ in false })
    }

    public func verifyAudit() async throws -> AuditVerification { try await verifyAudit(authority: true) }
    public func planPolicy(against: String?) async throws -> PolicyPlan {
        try await planPolicy(against: against, committed: false)
    }
}
