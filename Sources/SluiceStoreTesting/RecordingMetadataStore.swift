import Foundation
import SluiceCore

/// A `MetadataStore` that hands every call to another and notes which requirement of which port it was: how the
/// conformance suite shows that it exercises every requirement of every port (`MetadataConformance.requirements`).
/// Written out from the ports by hand-run generation; `MetadataConformanceCoverage` fails when a port gains a
/// requirement this proxy does not forward.
public actor RecordingMetadataStore: MetadataStore {
    let base: any MetadataStore
    public private(set) var called = Set<String>()

    public init(_ base: any MetadataStore) { self.base = base }

    /// Every requirement of every port, as `Port.name(labels:)`.
    public static let requirements: [String] = [
        "VersionStore.saveVersion(_:)",
        "VersionStore.version(_:)",
        "VersionStore.versions(_:)",
        "VersionStore.versions(prefix:dataset:)",
        "VersionStore.markCollected(_:at:)",
        "VersionStore.collectedVersions()",
        "VersionStore.versionStatistics()",
        "RefStore.saveCommit(_:)",
        "RefStore.commit(_:)",
        "RefStore.firstParentHistory(from:page:)",
        "RefStore.datasetHistory(_:from:limit:)",
        "RefStore.environment(_:)",
        "RefStore.environments()",
        "RefStore.createEnvironment(_:audit:)",
        "RefStore.moveEnvironment(_:template:audit:)",
        "RefStore.environmentHistory(_:)",
        "RefStore.touchEnvironment(_:at:)",
        "RefStore.deleteEnvironment(_:)",
        "AuditStore.appendAudit(_:)",
        "AuditStore.appendFirstAudit(_:)",
        "AuditStore.auditEvents()",
        "AuditStore.auditHead()",
        "AuditStore.auditEvents(_:page:)",
        "AuditStore.latestAudit(action:outcome:)",
        "AuditStore.auditEvents(action:target:)",
        "TokenStore.saveToken(_:)",
        "TokenStore.saveFirstToken(_:audit:)",
        "TokenStore.token(secretHash:)",
        "TokenStore.tokens()",
        "TokenStore.revokeToken(id:at:)",
        "QualityStore.saveCheckRun(_:audit:)",
        "QualityStore.checkRuns(dataset:environment:)",
        "QualityStore.checkRun(forVersion:)",
        "QualityStore.checkRuns(dataset:environment:page:)",
        "QualityStore.latestCheckRuns(failedOnly:)",
        "QualityStore.saveQuarantine(_:)",
        "QualityStore.quarantines()",
        "QualityStore.deleteQuarantine(_:)",
        "RunStore.saveRun(_:)",
        "RunStore.run(_:)",
        "RunStore.runs(pipeline:)",
        "RunStore.runs(_:page:)",
        "RunStore.cachedStep(pipeline:step:cacheKey:)",
        "RunStore.recentRuns(perPipeline:)",
        "RunStore.beatRun(_:at:)",
        "RunStore.deleteRun(_:)",
        "RunStore.saveLineage(_:)",
        "RunStore.lineage(of:)",
        "RunStore.lineage(consuming:)",
        "OutboxStore.claimTick(_:)",
        "OutboxStore.claimLanding(_:)",
        "OutboxStore.releaseLanding(_:)",
        "OutboxStore.latestTick(pipeline:environment:)",
        "OutboxStore.enqueue(_:)",
        "OutboxStore.claimOutbox(now:lease:limit:)",
        "OutboxStore.settleOutbox(_:_:)",
        "OutboxStore.pendingOutbox()",
        "OutboxStore.firingAlerts()",
        "OutboxStore.applyAlertTransitions(_:)",
        "ObjectMarkStore.markWritten(_:at:)",
        "ObjectMarkStore.objectMarks()",
        "ObjectMarkStore.leaseForDeletion(_:writtenBefore:now:until:)",
        "ObjectMarkStore.endDeletion(deleted:kept:)",
    ]

    private func note(_ requirement: String) { called.insert(requirement) }

    public func saveVersion(_ version: DatasetVersion) async throws {
        note("VersionStore.saveVersion(_:)")
        try await base.saveVersion(version)
    }

    public func version(_ id: ObjectID) async throws -> DatasetVersion? {
        note("VersionStore.version(_:)")
        return try await base.version(id)
    }

    public func versions(_ ids: [ObjectID]) async throws -> [ObjectID: DatasetVersion] {
        note("VersionStore.versions(_:)")
        return try await base.versions(ids)
    }

    public func versions(prefix: String, dataset: DatasetName?) async throws -> [DatasetVersion] {
        note("VersionStore.versions(prefix:dataset:)")
        return try await base.versions(prefix: prefix, dataset: dataset)
    }

    public func markCollected(_ versions: [ObjectID], at time: Timestamp) async throws {
        note("VersionStore.markCollected(_:at:)")
        try await base.markCollected(versions, at: time)
    }

    public func collectedVersions() async throws -> [ObjectID: Timestamp] {
        note("VersionStore.collectedVersions()")
        return try await base.collectedVersions()
    }

    public func versionStatistics() async throws -> [String: VersionStatistics] {
        note("VersionStore.versionStatistics()")
        return try await base.versionStatistics()
    }

    public func saveCommit(_ commit: Commit) async throws {
        note("RefStore.saveCommit(_:)")
        try await base.saveCommit(commit)
    }

    public func commit(_ id: ObjectID) async throws -> Commit? {
        note("RefStore.commit(_:)")
        return try await base.commit(id)
    }

    public func firstParentHistory(from head: ObjectID, page: PageRequest) async throws -> Page<Commit> {
        note("RefStore.firstParentHistory(from:page:)")
        return try await base.firstParentHistory(from: head, page: page)
    }

    public func datasetHistory(
        _ dataset: DatasetName, from head: ObjectID, limit: Int
    ) async throws -> [DatasetAtCommit] {
        note("RefStore.datasetHistory(_:from:limit:)")
        return try await base.datasetHistory(dataset, from: head, limit: limit)
    }

    public func environment(_ name: String) async throws -> EnvironmentRecord? {
        note("RefStore.environment(_:)")
        return try await base.environment(name)
    }

    public func environments() async throws -> [EnvironmentRecord] {
        note("RefStore.environments()")
        return try await base.environments()
    }

    public func createEnvironment(_ record: EnvironmentRecord, audit: AuditDraft?) async throws {
        note("RefStore.createEnvironment(_:audit:)")
        try await base.createEnvironment(record, audit: audit)
    }

    public func moveEnvironment(_ move: RefMove, template: EnvironmentRecord, audit: AuditDraft?) async throws {
        note("RefStore.moveEnvironment(_:template:audit:)")
        try await base.moveEnvironment(move, template: template, audit: audit)
    }

    public func environmentHistory(_ name: String) async throws -> [RefMove] {
        note("RefStore.environmentHistory(_:)")
        return try await base.environmentHistory(name)
    }

    public func touchEnvironment(_ name: String, at time: Timestamp) async throws {
        note("RefStore.touchEnvironment(_:at:)")
        try await base.touchEnvironment(name, at: time)
    }

    public func deleteEnvironment(_ seen: EnvironmentRecord) async throws -> Bool {
        note("RefStore.deleteEnvironment(_:)")
        return try await base.deleteEnvironment(seen)
    }

    @discardableResult
    public func appendAudit(_ draft: AuditDraft) async throws -> AuditEvent {
        note("AuditStore.appendAudit(_:)")
        return try await base.appendAudit(draft)
    }

    public func appendFirstAudit(_ draft: AuditDraft) async throws -> AuditEvent? {
        note("AuditStore.appendFirstAudit(_:)")
        return try await base.appendFirstAudit(draft)
    }

    public func auditEvents() async throws -> [AuditEvent] {
        note("AuditStore.auditEvents()")
        return try await base.auditEvents()
    }

    public func auditHead() async throws -> AuditHead? {
        note("AuditStore.auditHead()")
        return try await base.auditHead()
    }

    public func auditEvents(_ filter: AuditFilter, page: PageRequest) async throws -> Page<AuditEvent> {
        note("AuditStore.auditEvents(_:page:)")
        return try await base.auditEvents(filter, page: page)
    }

    public func latestAudit(action: String, outcome: AuditOutcome) async throws -> AuditEvent? {
        note("AuditStore.latestAudit(action:outcome:)")
        return try await base.latestAudit(action: action, outcome: outcome)
    }

    public func auditEvents(action: String, target: String) async throws -> [AuditEvent] {
        note("AuditStore.auditEvents(action:target:)")
        return try await base.auditEvents(action: action, target: target)
    }

    public func saveToken(_ token: TokenRecord) async throws {
        note("TokenStore.saveToken(_:)")
        try await base.saveToken(token)
    }

    public func saveFirstToken(_ token: TokenRecord, audit: AuditDraft) async throws -> AuditEvent? {
        note("TokenStore.saveFirstToken(_:audit:)")
        return try await base.saveFirstToken(token, audit: audit)
    }

    public func token(secretHash: String) async throws -> TokenRecord? {
        note("TokenStore.token(secretHash:)")
        return try await base.token(secretHash: secretHash)
    }

    public func tokens() async throws -> [TokenRecord] {
        note("TokenStore.tokens()")
        return try await base.tokens()
    }

    public func revokeToken(id: String, at time: Timestamp) async throws -> Bool {
        note("TokenStore.revokeToken(id:at:)")
        return try await base.revokeToken(id: id, at: time)
    }

    public func saveCheckRun(_ run: CheckRun, audit: AuditDraft) async throws {
        note("QualityStore.saveCheckRun(_:audit:)")
        try await base.saveCheckRun(run, audit: audit)
    }

    public func checkRuns(dataset: DatasetName?, environment: String?) async throws -> [CheckRun] {
        note("QualityStore.checkRuns(dataset:environment:)")
        return try await base.checkRuns(dataset: dataset, environment: environment)
    }

    public func checkRun(forVersion version: ObjectID) async throws -> CheckRun? {
        note("QualityStore.checkRun(forVersion:)")
        return try await base.checkRun(forVersion: version)
    }

    public func checkRuns(dataset: DatasetName?, environment: String?, page: PageRequest) async throws -> Page<CheckRun>
    {
        note("QualityStore.checkRuns(dataset:environment:page:)")
        return try await base.checkRuns(dataset: dataset, environment: environment, page: page)
    }

    public func latestCheckRuns(failedOnly: Bool) async throws -> [CheckRun] {
        note("QualityStore.latestCheckRuns(failedOnly:)")
        return try await base.latestCheckRuns(failedOnly: failedOnly)
    }

    public func saveQuarantine(_ batch: QuarantineBatch) async throws {
        note("QualityStore.saveQuarantine(_:)")
        try await base.saveQuarantine(batch)
    }

    public func quarantines() async throws -> [QuarantineBatch] {
        note("QualityStore.quarantines()")
        return try await base.quarantines()
    }

    public func deleteQuarantine(_ id: String) async throws -> Bool {
        note("QualityStore.deleteQuarantine(_:)")
        return try await base.deleteQuarantine(id)
    }

    public func saveRun(_ run: RunRecord) async throws {
        note("RunStore.saveRun(_:)")
        try await base.saveRun(run)
    }

    public func run(_ id: String) async throws -> RunRecord? {
        note("RunStore.run(_:)")
        return try await base.run(id)
    }

    public func runs(pipeline: String?) async throws -> [RunRecord] {
        note("RunStore.runs(pipeline:)")
        return try await base.runs(pipeline: pipeline)
    }

    public func cachedStep(pipeline: String, step: String, cacheKey: String) async throws -> CachedStep? {
        note("RunStore.cachedStep(pipeline:step:cacheKey:)")
        return try await base.cachedStep(pipeline: pipeline, step: step, cacheKey: cacheKey)
    }

    public func runs(_ filter: RunFilter, page: PageRequest) async throws -> Page<RunRecord> {
        note("RunStore.runs(_:page:)")
        return try await base.runs(filter, page: page)
    }

    public func recentRuns(perPipeline count: Int) async throws -> [RunSummary] {
        note("RunStore.recentRuns(perPipeline:)")
        return try await base.recentRuns(perPipeline: count)
    }

    public func beatRun(_ id: String, at time: Timestamp) async throws {
        note("RunStore.beatRun(_:at:)")
        try await base.beatRun(id, at: time)
    }

    public func deleteRun(_ id: String) async throws -> Bool {
        note("RunStore.deleteRun(_:)")
        return try await base.deleteRun(id)
    }

    public func saveLineage(_ record: LineageRecord) async throws {
        note("RunStore.saveLineage(_:)")
        try await base.saveLineage(record)
    }

    public func lineage(of version: ObjectID) async throws -> LineageRecord? {
        note("RunStore.lineage(of:)")
        return try await base.lineage(of: version)
    }

    public func lineage(consuming version: ObjectID) async throws -> [LineageRecord] {
        note("RunStore.lineage(consuming:)")
        return try await base.lineage(consuming: version)
    }

    public func claimTick(_ claim: TickClaim) async throws -> Bool {
        note("OutboxStore.claimTick(_:)")
        return try await base.claimTick(claim)
    }

    public func claimLanding(_ claim: LandingClaim) async throws -> Bool {
        note("OutboxStore.claimLanding(_:)")
        return try await base.claimLanding(claim)
    }

    public func releaseLanding(_ claim: LandingClaim) async throws {
        note("OutboxStore.releaseLanding(_:)")
        try await base.releaseLanding(claim)
    }

    public func latestTick(pipeline: String, environment: String) async throws -> Timestamp? {
        note("OutboxStore.latestTick(pipeline:environment:)")
        return try await base.latestTick(pipeline: pipeline, environment: environment)
    }

    public func enqueue(_ messages: [OutboxMessage]) async throws {
        note("OutboxStore.enqueue(_:)")
        try await base.enqueue(messages)
    }

    public func claimOutbox(now: Timestamp, lease: TimeSpan, limit: Int) async throws -> [OutboxMessage] {
        note("OutboxStore.claimOutbox(now:lease:limit:)")
        return try await base.claimOutbox(now: now, lease: lease, limit: limit)
    }

    public func settleOutbox(_ id: Int64, _ settlement: OutboxSettlement) async throws {
        note("OutboxStore.settleOutbox(_:_:)")
        try await base.settleOutbox(id, settlement)
    }

    public func pendingOutbox() async throws -> [OutboxMessage] {
        note("OutboxStore.pendingOutbox()")
        return try await base.pendingOutbox()
    }

    public func firingAlerts() async throws -> [AlertRecord] {
        note("OutboxStore.firingAlerts()")
        return try await base.firingAlerts()
    }

    public func applyAlertTransitions(_ transitions: [AlertTransition]) async throws -> [AlertTransition] {
        note("OutboxStore.applyAlertTransitions(_:)")
        return try await base.applyAlertTransitions(transitions)
    }

    public func markWritten(_ ids: [ObjectID], at time: Timestamp) async throws -> Set<ObjectID> {
        note("ObjectMarkStore.markWritten(_:at:)")
        return try await base.markWritten(ids, at: time)
    }

    public func objectMarks() async throws -> [ObjectID: Timestamp] {
        note("ObjectMarkStore.objectMarks()")
        return try await base.objectMarks()
    }

    public func leaseForDeletion(
        _ ids: [ObjectID], writtenBefore cutoff: Timestamp, now: Timestamp, until: Timestamp
    )
        async throws -> Set<ObjectID>
    {
        note("ObjectMarkStore.leaseForDeletion(_:writtenBefore:now:until:)")
        return try await base.leaseForDeletion(ids, writtenBefore: cutoff, now: now, until: until)
    }

    public func endDeletion(deleted: [ObjectID], kept: [ObjectID]) async throws {
        note("ObjectMarkStore.endDeletion(deleted:kept:)")
        try await base.endDeletion(deleted: deleted, kept: kept)
    }
}
