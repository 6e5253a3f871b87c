import Foundation

/// The engine's operations, each carried out by the service it belongs to.
extension Workspace {
    public typealias CancelOutcome = RunService.CancelOutcome

    public func expiry(of record: EnvironmentRecord) -> (at: Timestamp, rule: String)? {
        CollectorService(context: context).expiry(of: record)
    }
    public func collectGarbage(dryRun: Bool, grace: TimeSpan = TimeSpan(seconds: 3_600)) async throws -> GCReport {
        try await CollectorService(context: context).collectGarbage(dryRun: dryRun, grace: grace)
    }
    public func mayCollectGarbage() async throws -> Bool {
        try await CollectorService(context: context).mayCollectGarbage()
    }
    public func datasets(in environment: String?) async throws -> [DatasetEntry] {
        try await DatasetService(context: context).datasets(in: environment)
    }
    public func datasetDetails(_ name: String, in environment: String?) async throws -> DatasetDetails {
        try await DatasetService(context: context).datasetDetails(name, in: environment)
    }
    public func datasetDetails(
        _ name: String, in environment: String?, historyLimit: Int?
    ) async throws -> DatasetDetails {
        try await DatasetService(context: context).datasetDetails(name, in: environment, historyLimit: historyLimit)
    }
    public func logPage(of environment: String?, page: PageRequest) async throws -> Page<Commit> {
        try await DatasetService(context: context).logPage(of: environment, page: page)
    }
    public func log(of environment: String?, limit: Int = 50) async throws -> [Commit] {
        try await DatasetService(context: context).log(of: environment, limit: limit)
    }
    public func cat(
        _ reference: String, in environment: String?, to sink: (UnsafeRawBufferPointer) throws -> Void
    ) async throws { try await DatasetService(context: context).cat(reference, in: environment, to: sink) }
    public func createEnvironment(
        _ name: String, from source: String, ttl: TimeSpan?
    ) async throws -> EnvironmentSummary {
        try await EnvironmentService(context: context).createEnvironment(name, from: source, ttl: ttl)
    }
    public func deleteEnvironment(_ name: String) async throws -> EnvironmentRecord {
        try await EnvironmentService(context: context).deleteEnvironment(name)
    }
    public func listEnvironments() async throws -> [EnvironmentSummary] {
        try await EnvironmentService(context: context).listEnvironments()
    }
    public func ingest(source name: String, environment: String?, files: [URL] = []) async throws -> IngestResult {
        try await IngestService(context: context).ingest(source: name, environment: environment, files: files)
    }
    public func authorizeIngest(source name: String, environment: String?) async throws {
        try await IngestService(context: context).authorize(source: name, environment: environment)
    }
    public func lineage(
        _ reference: String, in environment: String?, directions: LineageDirections
    ) async throws -> LineageNode {
        try await LineageService(context: context).lineage(reference, in: environment, directions: directions)
    }
    public func openLineageEvents(_ root: LineageNode, in environment: String) async throws -> [[String: Any]] {
        try await LineageService(context: context).openLineageEvents(root, in: environment)
    }
    public func liveLogFolder(run id: String) -> URL? { LiveLogService(context: context).liveLogFolder(run: id) }
    public func liveTail(run id: String, step: String, stdoutFrom: Int, stderrFrom: Int) async throws -> LiveTail {
        try await LiveLogService(context: context).liveTail(
            run: id, step: step, stdoutFrom: stdoutFrom, stderrFrom: stderrFrom)
    }
    public func followLogs(run id: String, step: String?, emit: (LogChunk) async throws -> Void) async throws {
        try await LiveLogService(context: context).followLogs(run: id, step: step, emit: emit)
    }
    public func planPolicy(against: String?, committed: Bool) async throws -> PolicyPlan {
        try await PolicyService(context: context).planPolicy(against: against, committed: committed)
    }
    public func applyPolicy() async throws -> PolicyPlan { try await PolicyService(context: context).applyPolicy() }
    public func promote(from source: String, to target: String) async throws -> PromotionResult {
        try await PromotionService(context: context).promote(from: source, to: target)
    }
    public func promotionPlan(from source: String, to target: String) async throws -> PromotionPlan {
        try await PromotionService(context: context).plan(from: source, to: target)
    }
    public func resetEnvironment(_ name: String, to other: String) async throws -> EnvironmentSummary {
        try await EnvironmentService(context: context).resetEnvironment(name, to: other)
    }
    public func quarantineBatches() async throws -> [QuarantineBatch] {
        try await QualityService(context: context).quarantineBatches()
    }
    public func quarantineBatch(_ id: String) async throws -> QuarantineBatch {
        try await QualityService(context: context).quarantineBatch(id)
    }
    public func catQuarantine(_ id: String, to sink: (UnsafeRawBufferPointer) throws -> Void) async throws {
        try await QualityService(context: context).catQuarantine(id, to: sink)
    }
    public func checkRuns(dataset name: String?, environment: String?) async throws -> [CheckRun] {
        try await QualityService(context: context).checkRuns(dataset: name, environment: environment)
    }
    public func checkRunPage(
        dataset name: String?, environment: String?, page: PageRequest
    ) async throws
        -> Page<CheckRun>
    { try await QualityService(context: context).checkRunPage(dataset: name, environment: environment, page: page) }
    public func check(file: URL, against name: String, in environment: String?) async throws -> ValidationReport {
        try await QualityService(context: context).check(file: file, against: name, in: environment)
    }
    public func authorizeCheck(against name: String, in environment: String?) async throws {
        try await QualityService(context: context).authorizeCheck(against: name, in: environment)
    }
    public func runRecords(pipeline: String? = nil) async throws -> [RunRecord] {
        try await RunService(context: context).runRecords(pipeline: pipeline)
    }
    public func runPage(_ filter: RunFilter, page: PageRequest) async throws -> Page<RunRecord> {
        try await RunService(context: context).runPage(filter, page: page)
    }
    /// Throws unless the caller may read the logs of step `step` of run `id` (of all its steps when nil).
    public func requireLogs(run id: String, step: String?) async throws {
        try await RunService(context: context).requireLogs(run: id, step: step)
    }
    /// Why the caller may not read the logs of `step` of `run`, or nil when it may.
    public func logsHidden(of run: RunRecord, step: String) -> String? {
        RunService(context: context).logsHidden(of: run, step: step)
    }
    public func runRecord(_ id: String, step: String?) async throws -> RunRecord {
        try await RunService(context: context).runRecord(id, step: step)
    }
    public func runRecord(_ id: String) async throws -> RunRecord {
        try await RunService(context: context).runRecord(id)
    }
    public func recordedOutputs(run id: String, step: String) async throws -> [String: ObjectID]? {
        try await RunService(context: context).recordedOutputs(run: id, step: step)
    }
    public func beginRun(_ pipeline: String, options: RunOptions, traceID: String) async throws -> RunSession {
        try await RunService(context: context).begin(pipeline, options: options, traceID: traceID)
    }
    public func attemptLogs(run id: String, step: String?) async throws -> [AttemptLog] {
        try await RunService(context: context).attemptLogs(run: id, step: step)
    }
    public func attemptOutput(
        of run: RunRecord, step: String, object: ObjectID, limit: Int
    ) async throws -> (text: String, cut: Bool) {
        try await RunService(context: context).attemptOutput(of: run, step: step, object: object, limit: limit)
    }
    public func cancelRun(
        _ id: String, stopInProcess: @Sendable (String) -> Bool = { _ in false }
    ) async throws -> CancelOutcome {
        try await RunService(context: context).cancelRun(id, stopInProcess: stopInProcess)
    }
    public func status() async throws -> StatusReport { try await StatusService(context: context).status() }
    public func createToken(for principal: String) async throws -> CreatedToken {
        try await TokenService(context: context).createToken(for: principal)
    }
    public func revokeToken(id: String) async throws { try await TokenService(context: context).revokeToken(id: id) }
    public func listTokens() async throws -> [TokenSummary] { try await TokenService(context: context).listTokens() }
    public func auditEvents() async throws -> [AuditEvent] {
        try await VerificationService(context: context).auditEvents()
    }
    public func auditPage(_ filter: AuditFilter, page: PageRequest) async throws -> Page<AuditEvent> {
        try await VerificationService(context: context).auditPage(filter, page: page)
    }
    public func verifyAudit(authority: Bool = true) async throws -> AuditVerification {
        try await VerificationService(context: context).verifyAudit(authority: authority)
    }
    public func verifyStore() async throws -> StoreVerification {
        try await VerificationService(context: context).verifyStore()
    }
}
