import SluiceCore

/// Metadata in memory, for tests; the same contract as the SQLite store.
public actor InMemoryMetadataStore: MetadataStore {
    private var versionsByID: [ObjectID: DatasetVersion] = [:]
    private var commitsByID: [ObjectID: Commit] = [:]
    private var environmentsByName: [String: EnvironmentRecord] = [:]
    private var moves: [RefMove] = []
    private var events: [AuditEvent] = []
    private var head: AuditHead?
    private var tokenRecords: [TokenRecord] = []
    private var runs: [CheckRun] = []
    private var runRecords: [RunRecord] = []
    private var ticks: [String: TickClaim] = [:]

    public func claimTick(_ claim: TickClaim) -> Bool {
        let key = "\(claim.pipeline)\u{0}\(claim.environment)\u{0}\(claim.tick.milliseconds)"
        guard ticks[key] == nil else { return false }
        ticks[key] = claim
        return true
    }

    private var landings = Set<String>()

    public func claimLanding(_ claim: LandingClaim) -> Bool {
        landings.insert("\(claim.source)\u{0}\(claim.path)\u{0}\(claim.size)\u{0}\(claim.modifiedMilliseconds)")
            .inserted
    }

    public func releaseLanding(_ claim: LandingClaim) {
        landings.remove("\(claim.source)\u{0}\(claim.path)\u{0}\(claim.size)\u{0}\(claim.modifiedMilliseconds)")
    }

    public func latestTick(pipeline: String, environment: String) -> Timestamp? {
        ticks.values.filter { $0.pipeline == pipeline && $0.environment == environment }.map(\.tick).max()
    }

    /// Each run's position in the order runs were first saved (never reused, as SQLite's `seq`).
    private var runSequence: [String: Int64] = [:]
    private var lineageRecords: [LineageRecord] = []
    private var collected: [ObjectID: Timestamp] = [:]
    private var batches: [QuarantineBatch] = []
    var objectMarksByID: [ObjectID: ObjectMark] = [:]

    /// Messages to other systems, oldest first, and the alerts firing now.
    private(set) var outbox: [OutboxMessage] = []
    private var outboxSequence: Int64 = 0
    var alerts: [String: AlertRecord] = [:]

    func queue(_ message: OutboxMessage) {
        if let key = message.replaces {
            outbox.removeAll { $0.replaces == key && $0.destination == message.destination && $0.attempts == 0 }
        }
        outboxSequence += 1
        var message = message
        message.id = outboxSequence
        outbox.append(message)
    }

    func update(_ id: Int64, _ change: (inout OutboxMessage) -> Void) {
        guard let index = outbox.firstIndex(where: { $0.id == id }) else { return }
        change(&outbox[index])
    }

    func removeOutbox(where matches: (OutboxMessage) -> Bool) { outbox.removeAll(where: matches) }

    public init() {}

    public func saveVersion(_ version: DatasetVersion) {
        if versionsByID[version.id] == nil { versionsByID[version.id] = version }
    }
    public func version(_ id: ObjectID) -> DatasetVersion? { versionsByID[id] }

    public func versions(_ ids: [ObjectID]) -> [ObjectID: DatasetVersion] {
        Dictionary(uniqueKeysWithValues: Set(ids).compactMap { id in versionsByID[id].map { (id, $0) } })
    }

    public func versions(prefix: String, dataset: DatasetName?) -> [DatasetVersion] {
        versionsByID.values.filter {
            $0.id.hex.hasPrefix(prefix.lowercased()) && (dataset == nil || $0.dataset == dataset)
        }
        .sorted { $0.createdAt > $1.createdAt }
    }

    public func markCollected(_ versions: [ObjectID], at time: Timestamp) {
        for version in versions where collected[version] == nil { collected[version] = time }
    }

    public func collectedVersions() -> [ObjectID: Timestamp] { collected }

    public func versionStatistics() -> [String: VersionStatistics] {
        var statistics: [String: VersionStatistics] = [:]
        var objects: [String: [ObjectID: Int64]] = [:]
        for version in versionsByID.values {
            let zone = version.dataset.zone
            statistics[zone, default: VersionStatistics()].versions += 1
            statistics[zone, default: VersionStatistics()].versionBytes += version.manifest.bytes
            for chunk in version.manifest.files.flatMap(\.chunks) {
                objects[zone, default: [:]][chunk.object] = chunk.bytes
            }
        }
        for (zone, held) in objects {
            statistics[zone]?.objects = held.count
            statistics[zone]?.objectBytes = held.values.reduce(0, +)
        }
        return statistics
    }

    public func saveCommit(_ commit: Commit) { if commitsByID[commit.id] == nil { commitsByID[commit.id] = commit } }
    public func commit(_ id: ObjectID) -> Commit? { commitsByID[id] }

    public func environment(_ name: String) -> EnvironmentRecord? { environmentsByName[name] }
    public func environments() -> [EnvironmentRecord] { environmentsByName.values.sorted { $0.name < $1.name } }

    public func createEnvironment(_ record: EnvironmentRecord, audit: AuditDraft?) throws {
        guard environmentsByName[record.name] == nil else {
            throw ConflictError("environment \(record.name) already exists")
        }
        environmentsByName[record.name] = record
        if let head = record.head {
            moves.append(
                RefMove(
                    environment: record.name, from: nil, to: head, actor: record.createdBy,
                    reason: "create from \(record.base ?? "nothing")", gitCommit: nil, at: record.createdAt))
        }
        if let audit { _ = try appendAudit(audit) }
    }

    public func moveEnvironment(_ move: RefMove, template: EnvironmentRecord, audit: AuditDraft?) throws {
        if var current = environmentsByName[move.environment] {
            guard current.head == move.from else {
                throw ConflictError(
                    "environment \(move.environment) moved while you worked: it is now at \(current.head?.short ?? "empty")"
                )
            }
            current.head = move.to
            current.lastUsedAt = max(current.lastUsedAt, move.at)
            environmentsByName[move.environment] = current
        } else {
            guard move.from == nil else {
                throw ConflictError("environment \(move.environment) was deleted while you worked")
            }
            var record = template
            record.head = move.to
            record.lastUsedAt = move.at
            environmentsByName[move.environment] = record
        }
        moves.append(move)
        if let audit { _ = try appendAudit(audit) }
    }

    public func environmentHistory(_ name: String) -> [RefMove] { moves.filter { $0.environment == name }.reversed() }

    public func deleteEnvironment(_ seen: EnvironmentRecord) -> Bool {
        guard let record = environmentsByName[seen.name], record.lastUsedAt == seen.lastUsedAt,
            record.head == seen.head
        else { return false }
        environmentsByName[seen.name] = nil
        return true
    }

    public func touchEnvironment(_ name: String, at time: Timestamp) {
        guard var record = environmentsByName[name], record.lastUsedAt < time else { return }
        record.lastUsedAt = time
        environmentsByName[name] = record
    }

    public func appendAudit(_ draft: AuditDraft) throws -> AuditEvent {
        let event = try AuditEvent.seal(draft, after: events.last)
        events.append(event)
        head = AuditHead(sequence: event.sequence, hash: event.hash)
        return event
    }

    public func appendFirstAudit(_ draft: AuditDraft) throws -> AuditEvent? {
        guard !events.contains(where: { $0.draft.action == draft.action && $0.draft.outcome == .succeeded }) else {
            return nil
        }
        return try appendAudit(draft)
    }

    public func auditEvents() -> [AuditEvent] { events }
    public func auditHead() -> AuditHead? { head }

    public func auditEvents(_ filter: AuditFilter, page: PageRequest) throws -> Page<AuditEvent> {
        let before = try page.position() ?? .max
        let candidates = events.reversed().lazy.filter { $0.sequence < before && filter.matches($0) }
            .prefix(page.limit + 1).map { (Int64($0.sequence), $0) }
        return Page.of(Array(candidates), limit: page.limit)
    }

    public func latestAudit(action: String, outcome: AuditOutcome) -> AuditEvent? {
        events.last { $0.draft.action == action && $0.draft.outcome == outcome }
    }

    public func auditEvents(action: String, target: String) -> [AuditEvent] {
        events.filter { $0.draft.action == action && $0.draft.target == target }
    }

    /// Replaces the stored events as they are, to test tamper detection.
    public func replaceAuditEvents(_ replacement: [AuditEvent]) { events = replacement }

    public func saveToken(_ token: TokenRecord) { tokenRecords.append(token) }

    public func saveFirstToken(_ token: TokenRecord, audit: AuditDraft) throws -> AuditEvent? {
        guard tokenRecords.isEmpty else { return nil }
        tokenRecords.append(token)
        return try appendAudit(audit)
    }
    public func token(secretHash: String) -> TokenRecord? { tokenRecords.first { $0.secretHash == secretHash } }
    public func tokens() -> [TokenRecord] { tokenRecords }

    public func revokeToken(id: String, at time: Timestamp) -> Bool {
        guard let index = tokenRecords.firstIndex(where: { $0.id == id && $0.isActive }) else { return false }
        tokenRecords[index].revokedAt = time
        return true
    }

    public func saveCheckRun(_ run: CheckRun, audit: AuditDraft) throws {
        runs.append(run)
        _ = try appendAudit(audit)
    }

    public func checkRuns(dataset: DatasetName?, environment: String?) -> [CheckRun] {
        runs.filter {
            (dataset == nil || $0.dataset == dataset) && (environment == nil || $0.environment == environment)
        }.reversed()
    }

    public func checkRun(forVersion version: ObjectID) -> CheckRun? { runs.last { $0.version == version } }

    public func latestCheckRuns(failedOnly: Bool) -> [CheckRun] {
        var seen = Set<String>()
        return runs.reversed().filter { seen.insert("\($0.dataset)\u{0}\($0.environment)").inserted }
            .filter { !failedOnly || !$0.passed }
    }

    public func checkRuns(dataset: DatasetName?, environment: String?, page: PageRequest) throws -> Page<CheckRun> {
        let before = try page.position() ?? .max
        let candidates = runs.enumerated().reversed().lazy.map { (sequence: Int64($0.offset + 1), item: $0.element) }
            .filter {
                $0.sequence < before && (dataset == nil || $0.item.dataset == dataset)
                    && (environment == nil || $0.item.environment == environment)
            }
            .prefix(page.limit + 1)
        return Page.of(Array(candidates), limit: page.limit)
    }

    public func datasetHistory(_ dataset: DatasetName, from head: ObjectID, limit: Int) throws -> [DatasetAtCommit] {
        var found: [DatasetAtCommit] = []
        var next: ObjectID? = head
        while let id = next, found.count < limit, let commit = commitsByID[id] {
            found.append(
                DatasetAtCommit(
                    commit: id, createdAt: commit.content.createdAt, actor: commit.content.actor,
                    version: commit.version(of: dataset)))
            next = commit.content.parents.first
        }
        return found
    }

    public func firstParentHistory(from head: ObjectID, page: PageRequest) throws -> Page<Commit> {
        let start = try page.position().map { $0 + 1 } ?? 0
        var candidates: [(sequence: Int64, item: Commit)] = []
        var next: ObjectID? = head
        var depth: Int64 = 0
        while let id = next, candidates.count <= page.limit {
            guard let commit = commitsByID[id] else {
                throw InternalError("commit \(id.short) is missing from the store; run sluice verify")
            }
            if depth >= start { candidates.append((depth, commit)) }
            next = commit.content.parents.first
            depth += 1
        }
        return Page.of(candidates, limit: page.limit)
    }

    public func saveRun(_ run: RunRecord) {
        if runSequence[run.id] == nil { runSequence[run.id] = Int64(runSequence.count + 1) }
        if let index = runRecords.firstIndex(where: { $0.id == run.id }) {
            runRecords[index] = run
        } else {
            runRecords.append(run)
        }
    }

    public func run(_ id: String) -> RunRecord? { runRecords.first { $0.id == id } }

    public func beatRun(_ id: String, at time: Timestamp) {
        guard let index = runRecords.firstIndex(where: { $0.id == id && $0.status == .running }) else { return }
        runRecords[index].heartbeatAt = time
    }

    public func deleteRun(_ id: String) -> Bool {
        guard let index = runRecords.firstIndex(where: { $0.id == id }) else { return false }
        runRecords.remove(at: index)
        return true
    }

    public func deleteQuarantine(_ id: String) -> Bool {
        guard let index = batches.firstIndex(where: { $0.id == id }) else { return false }
        batches.remove(at: index)
        return true
    }
    public func runs(pipeline: String?) -> [RunRecord] {
        runRecords.filter { pipeline == nil || $0.pipeline == pipeline }.reversed()
    }

    public func cachedStep(pipeline: String, step: String, cacheKey: String) -> CachedStep? {
        CachedStep.newest(step, key: cacheKey, in: runs(pipeline: pipeline))
    }

    public func recentRuns(perPipeline count: Int) -> [RunSummary] {
        var taken: [String: Int] = [:]
        return runRecords.sorted { (runSequence[$0.id] ?? 0) > (runSequence[$1.id] ?? 0) }.filter {
            taken[$0.pipeline, default: 0] += 1
            return taken[$0.pipeline]! <= count
        }.map(RunSummary.init)
    }

    public func runs(_ filter: RunFilter, page: PageRequest) throws -> Page<RunRecord> {
        let before = try page.position() ?? .max
        let candidates = runRecords.reversed().compactMap { run -> (Int64, RunRecord)? in
            let sequence = runSequence[run.id] ?? 0
            return sequence < before && filter.matches(run) ? (sequence, run) : nil
        }
        return Page.of(Array(candidates.prefix(page.limit + 1)), limit: page.limit)
    }

    public func saveLineage(_ record: LineageRecord) {
        if !lineageRecords.contains(where: { $0.version == record.version }) { lineageRecords.append(record) }
    }

    public func lineage(of version: ObjectID) -> LineageRecord? { lineageRecords.first { $0.version == version } }

    public func lineage(consuming version: ObjectID) -> [LineageRecord] {
        lineageRecords.filter { $0.inputs.values.contains(version) }
    }

    public func saveQuarantine(_ batch: QuarantineBatch) { batches.append(batch) }
    public func quarantines() -> [QuarantineBatch] { batches.reversed() }
}
