/// The engine's metadata: one port per aggregate, so that a backend can be written (and checked by
/// `SluiceStoreTesting`) aggregate by aggregate. SQLite and memory today. Every method is atomic; refs
/// move only by compare-and-swap. A ref move or a gate result appends its audit event in the same
/// transaction, so refs, quality results and the audit chain live in one backend.
public typealias MetadataStore =
    VersionStore & RefStore & AuditStore & TokenStore & QualityStore & RunStore & OutboxStore
    & ObjectMarkStore

/// Dataset versions (their manifests), and which ones retention let go.
public protocol VersionStore: Sendable {
    /// Saves a version; saving the same id again is a no-op.
    func saveVersion(_ version: DatasetVersion) async throws
    func version(_ id: ObjectID) async throws -> DatasetVersion?
    /// The versions of `ids` that are stored, in one read.
    func versions(_ ids: [ObjectID]) async throws -> [ObjectID: DatasetVersion]
    /// Versions whose id starts with `prefix`, optionally of one dataset.
    func versions(prefix: String, dataset: DatasetName?) async throws -> [DatasetVersion]

    /// Records versions whose data retention let go (their objects may then be swept); idempotent.
    func markCollected(_ versions: [ObjectID], at time: Timestamp) async throws
    /// Versions retention let go, with when.
    func collectedVersions() async throws -> [ObjectID: Timestamp]
    /// Versions and the objects they hold, by zone, computed in the store (an object counted once per zone).
    func versionStatistics() async throws -> [String: VersionStatistics]
}

/// Commits and environments (refs): moved by compare-and-swap, each move with its audit event.
public protocol RefStore: Sendable {
    /// Saves a commit; saving the same id again is a no-op.
    func saveCommit(_ commit: Commit) async throws
    func commit(_ id: ObjectID) async throws -> Commit?
    /// Commits from `head` back along first parents, newest first, a page at a time (the cursor is the
    /// distance from `head`); a commit missing from the chain is an error.
    func firstParentHistory(from head: ObjectID, page: PageRequest) async throws -> Page<Commit>
    /// Along first parents from `head`, at most `limit` commits, newest first: each one's id, time, actor and
    /// the version of `dataset` it holds. Read for display, without re-hashing the commits (`verify` does).
    func datasetHistory(_ dataset: DatasetName, from head: ObjectID, limit: Int) async throws -> [DatasetAtCommit]

    func environment(_ name: String) async throws -> EnvironmentRecord?
    func environments() async throws -> [EnvironmentRecord]
    /// Creates an environment, appending `audit` (if given) in the same transaction; throws
    /// `ConflictError` when the name exists.
    func createEnvironment(_ record: EnvironmentRecord, audit: AuditDraft?) async throws
    /// Moves `move.environment` from `move.from` to `move.to` only if its head is still `move.from`
    /// (a missing environment counts as head `nil` and is created with `template`); otherwise throws
    /// `ConflictError` and changes nothing. The move is kept in the environment's history, and `audit` (if
    /// given) is appended in the same transaction: a ref never moves without its audit event.
    func moveEnvironment(_ move: RefMove, template: EnvironmentRecord, audit: AuditDraft?) async throws
    /// The history of an environment's moves, newest first.
    func environmentHistory(_ name: String) async throws -> [RefMove]
    /// Records use of an environment (read or write); cheap, never conflicts, a no-op for an unknown name.
    func touchEnvironment(_ name: String, at time: Timestamp) async throws
    /// Deletes an environment (its ref; its history stays) only if it is exactly as the caller saw it: the
    /// same head and last use. `false` when it changed or is gone, so a use racing the collector wins.
    func deleteEnvironment(_ seen: EnvironmentRecord) async throws -> Bool
}

/// The hash-chained audit log.
public protocol AuditStore: Sendable {
    /// Appends an event to the hash chain and returns it sealed.
    @discardableResult
    func appendAudit(_ draft: AuditDraft) async throws -> AuditEvent
    /// Appends `draft` only when no event of its action succeeded before, atomically (the bootstrap policy:
    /// however many first commands race, one applies it); nil when one did.
    func appendFirstAudit(_ draft: AuditDraft) async throws -> AuditEvent?
    /// Every audit event in sequence order.
    func auditEvents() async throws -> [AuditEvent]
    func auditHead() async throws -> AuditHead?
    /// One page of audit events that match, newest first.
    func auditEvents(_ filter: AuditFilter, page: PageRequest) async throws -> Page<AuditEvent>
    /// The newest event with this action and outcome (the applied policy is one).
    func latestAudit(action: String, outcome: AuditOutcome) async throws -> AuditEvent?
    /// Every event of `action` about `target`, oldest first (an indexed lookup, for the records an
    /// operation checks against the chain before it relies on them).
    func auditEvents(action: String, target: String) async throws -> [AuditEvent]
}

/// API tokens (their secrets' hashes).
public protocol TokenStore: Sendable {
    func saveToken(_ token: TokenRecord) async throws
    /// The bootstrap: saves `token` and appends `audit` in one transaction, only while the store has never
    /// held a token; returns `nil` (and changes nothing) once it has, so two racing bootstraps make one token.
    func saveFirstToken(_ token: TokenRecord, audit: AuditDraft) async throws -> AuditEvent?
    func token(secretHash: String) async throws -> TokenRecord?
    func tokens() async throws -> [TokenRecord]
    /// Revokes a token; returns `false` when no active token has that id.
    func revokeToken(id: String, at time: Timestamp) async throws -> Bool
}

/// Quality: gate results (each with the audit event that vouches for it) and quarantined batches.
public protocol QualityStore: Sendable {
    /// Keeps a gate result and appends `audit` (the event that vouches for it) in one transaction.
    func saveCheckRun(_ run: CheckRun, audit: AuditDraft) async throws
    /// Gate results, newest first, optionally of one dataset and environment.
    func checkRuns(dataset: DatasetName?, environment: String?) async throws -> [CheckRun]
    /// The newest gate result that judged exactly this version.
    func checkRun(forVersion version: ObjectID) async throws -> CheckRun?
    /// Gate results, newest first, a page at a time.
    func checkRuns(dataset: DatasetName?, environment: String?, page: PageRequest) async throws -> Page<CheckRun>
    /// The newest gate result of every dataset in every environment, newest first; only those that failed
    /// when `failedOnly`.
    func latestCheckRuns(failedOnly: Bool) async throws -> [CheckRun]

    func saveQuarantine(_ batch: QuarantineBatch) async throws
    /// Quarantined batches, newest first.
    func quarantines() async throws -> [QuarantineBatch]
    /// Deletes a quarantined batch's record (its lifecycle ran out); `false` when there was none.
    func deleteQuarantine(_ id: String) async throws -> Bool
}

/// Run records with their heartbeats, and the lineage of the versions runs made.
public protocol RunStore: Sendable {
    /// Saves a run record, replacing the one with the same id.
    func saveRun(_ run: RunRecord) async throws
    func run(_ id: String) async throws -> RunRecord?
    /// Run records, newest first, optionally of one pipeline.
    func runs(pipeline: String?) async throws -> [RunRecord]
    /// One page of runs that match, newest first.
    func runs(_ filter: RunFilter, page: PageRequest) async throws -> Page<RunRecord>
    /// The newest step run of `pipeline`'s `step` with `cacheKey` that ended well with outputs
    /// (`CachedStep.newest` over `runs(pipeline:)`), found by an index: a run's start costs the same whatever
    /// the pipeline's history.
    func cachedStep(pipeline: String, step: String, cacheKey: String) async throws -> CachedStep?
    /// The newest `count` runs of every pipeline, newest first, as summaries (read without their records).
    func recentRuns(perPipeline count: Int) async throws -> [RunSummary]
    /// Records that a running run's process is alive (only while the run is recorded as running).
    func beatRun(_ id: String, at time: Timestamp) async throws
    /// Deletes a run record (its lifecycle ran out); `false` when there was none.
    func deleteRun(_ id: String) async throws -> Bool

    /// Records how a version was made; the first record of a version is kept.
    func saveLineage(_ record: LineageRecord) async throws
    func lineage(of version: ObjectID) async throws -> LineageRecord?
    /// Records of versions made from `version`.
    func lineage(consuming version: ObjectID) async throws -> [LineageRecord]
}

/// What the service's workers claim so that each thing happens once (scheduled ticks, landing files), the
/// outbox of deliveries, and the alerts whose transitions queue them.
public protocol OutboxStore: Sendable {
    /// Claims a scheduled tick; `false` when it was claimed already.
    func claimTick(_ claim: TickClaim) async throws -> Bool
    /// Claims a settled landing file for ingestion; `false` when this very file (path, size, time) was claimed.
    func claimLanding(_ claim: LandingClaim) async throws -> Bool
    /// Gives a claimed landing file back (its ingest failed for a reason that may pass), so that it is
    /// claimed, and tried, again.
    func releaseLanding(_ claim: LandingClaim) async throws
    /// The newest tick claimed for a pipeline in an environment.
    func latestTick(pipeline: String, environment: String) async throws -> Timestamp?

    /// Queues messages for delivery (see `OutboxMessage.replaces`).
    func enqueue(_ messages: [OutboxMessage]) async throws
    /// Takes, for delivery, the oldest message of each destination if it is due at `now` (at most `limit`),
    /// and puts each off until `now + lease` so that no other taker sends it meanwhile.
    func claimOutbox(now: Timestamp, lease: TimeSpan, limit: Int) async throws -> [OutboxMessage]
    /// Records what became of a delivery attempt.
    func settleOutbox(_ id: Int64, _ settlement: OutboxSettlement) async throws
    /// The messages waiting, oldest first.
    func pendingOutbox() async throws -> [OutboxMessage]

    /// The alerts firing now.
    func firingAlerts() async throws -> [AlertRecord]
    /// Applies each transition that still is one and queues its messages, atomically; returns those applied.
    func applyAlertTransitions(_ transitions: [AlertTransition]) async throws -> [AlertTransition]
}

/// Versions held in one zone and the objects (chunks) they hold; an object shared by several versions counts once.
public struct VersionStatistics: Sendable, Hashable, Codable {
    public var versions: Int
    public var versionBytes: Int64
    public var objects: Int
    public var objectBytes: Int64

    public init(versions: Int = 0, versionBytes: Int64 = 0, objects: Int = 0, objectBytes: Int64 = 0) {
        self.versions = versions
        self.versionBytes = versionBytes
        self.objects = objects
        self.objectBytes = objectBytes
    }
}
