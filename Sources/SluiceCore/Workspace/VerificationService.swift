/// The result of checking the audit chain: every problem found, in chain order, not only the first, so that
/// one broken link cannot hide tampering after it.
public struct AuditVerification: Sendable, Codable, Hashable {
    public var events: Int
    /// The first event that does not fit the chain, `nil` when the chain itself is intact.
    public var firstBadSequence: Int64?
    /// The first problem (the chain's, else a record's), `nil` when everything checks.
    public var problem: String?
    /// Every problem found: broken links and changed events, then records that disagree with the chain.
    public var problems: [String]

    public init(events: Int, firstBadSequence: Int64?, problems: [String]) {
        self.events = events
        self.firstBadSequence = firstBadSequence
        self.problem = problems.first
        self.problems = problems
    }

    public var ok: Bool { problem == nil }
}

/// The result of rehashing objects and checking that every ref points at stored data.
public struct StoreVerification: Sendable, Codable, Hashable {
    public var objects: Int
    public var bytes: Int64
    public var corrupt: [ObjectID]
    public var missing: [String]

    public var ok: Bool { corrupt.isEmpty && missing.isEmpty }
}

/// Verification: the audit chain and the records it vouches for, the objects and refs of the store.
public struct VerificationService: UseCase {
    public let context: EngineContext

    public init(context: EngineContext) { self.context = context }

    public func auditEvents() async throws -> [AuditEvent] {
        try await authorize(.auditReader, action: "audit.read", target: "audit")
        return try await metadata.auditEvents()
    }

    /// One page of audit events that match, newest first; for principals holding `read:audit`.
    public func auditPage(_ filter: AuditFilter, page: PageRequest) async throws -> Page<AuditEvent> {
        try await authorize(.auditReader, action: "audit.read", target: "audit")
        return try await metadata.auditEvents(filter, page: page)
    }

    /// Recomputes the chain: every event's hash covers its fields, its number and the previous hash, and
    /// the stored head matches the last event, so edits, removals and reorderings are all caught. With
    /// `authority` (as `sluice audit verify` does), it then compares with the chain every record that carries
    /// authority (refs, tokens, gate results, ended runs), which reads every run; `status` checks the chain only.
    public func verifyAudit(authority: Bool = true) async throws -> AuditVerification {
        let events = try await metadata.auditEvents()
        var broken = try Self.chainProblems(events)
        if let problem = Self.headProblem(try await metadata.auditHead(), last: events.last, count: events.count) {
            broken.append(problem)
        }
        let records = authority ? try await authorityProblems(events) : []
        return AuditVerification(
            events: events.count, firstBadSequence: broken.first?.sequence,
            problems: broken.map(\.message) + records)
    }

    /// Every event that does not follow, chain to or hash to what it claims. The check goes on past a broken
    /// link (judging each event against the one stored before it), so later edits are named too.
    static func chainProblems(_ events: [AuditEvent]) throws -> [(sequence: Int64, message: String)] {
        var problems: [(sequence: Int64, message: String)] = []
        var previous: AuditEvent?
        for event in events {
            let expectedSequence = (previous?.sequence ?? 0) + 1
            if event.sequence != expectedSequence {
                problems.append(
                    (
                        event.sequence,
                        "event \(event.sequence) follows event \(previous?.sequence ?? 0): event \(expectedSequence) was removed or the events were reordered"
                    ))
            } else if event.previousHash != (previous?.hash ?? AuditEvent.genesisHash) {
                problems.append(
                    (
                        event.sequence,
                        "event \(event.sequence) does not chain to event \(expectedSequence - 1): an event before it was changed, removed or reordered"
                    ))
            }
            let recomputed = try AuditEvent.computeHash(
                sequence: event.sequence, draft: event.draft, previousHash: event.previousHash)
            if recomputed != event.hash {
                problems.append(
                    (
                        event.sequence,
                        "event \(event.sequence) was changed after it was written (its content no longer matches its hash)"
                    ))
            }
            previous = event
        }
        return problems
    }

    /// The stored head must name the last event, so that cutting events off the end is caught.
    static func headProblem(_ head: AuditHead?, last: AuditEvent?, count: Int) -> (sequence: Int64, message: String)? {
        guard let head else {
            return count == 0 ? nil : (1, "the chain's head record is missing")
        }
        guard head.sequence != (last?.sequence ?? 0) || head.hash != (last?.hash ?? AuditEvent.genesisHash) else {
            return nil
        }
        return (
            (last?.sequence ?? 0) + 1,
            "the chain ends at event \(last?.sequence ?? 0) but \(head.sequence) events were written: events were removed from the end"
        )
    }

    /// What carries authority, recomputed from the chain and compared with the tables: every environment's
    /// head must be where its last audited change put it (and that move in its history), and none may be
    /// gone that no audited change deleted; every token must have been created (and, if revoked, revoked)
    /// for the same principal by an audited event; every gate result must be the one its `gate.judge` event
    /// sealed; every ended run's record must be the one its `run.finish` event sealed, and present unless
    /// retention removed it; every version recorded as let go must have been let go by an audited
    /// collection. Returns every disagreement.
    func authorityProblems(_ events: [AuditEvent]) async throws -> [String] {
        let ledger = AuthorityLedger(events)
        var problems = try await refProblems(ledger.heads, ttls: ledger.ttls)
        problems += try await tokenProblems(created: ledger.created, revoked: ledger.revoked)
        for id in try await metadata.collectedVersions().keys.sorted(by: { $0.hex < $1.hex })
        where !ledger.retired.contains(id.hex) {
            problems.append("version \(id.short) is recorded as let go, but no audited collection let it go")
        }
        return problems + (try await gateProblems(ledger)) + (try await runProblems(ledger))
    }

    /// Every gate result as its judgement sealed it, none gone, and every batch one held back still kept
    /// unless retention removed it.
    private func gateProblems(_ ledger: AuthorityLedger) async throws -> [String] {
        var problems: [String] = []
        var kept = Set<String>()
        let batches = Set(try await metadata.quarantines().map(\.id))
        for run in try await metadata.checkRuns(dataset: nil, environment: nil) {
            kept.insert(run.id)
            if let problem = try run.unvouched(by: ledger.judged[run.id] ?? []) {
                problems.append(problem)
            } else if let batch = run.quarantine, !batches.contains(batch), !ledger.expiredQuarantines.contains(batch) {
                problems.append(
                    "quarantined batch \(batch) of \(run.dataset) is gone, but no audited lifecycle removed it")
            }
        }
        for id in ledger.judged.keys.sorted() where !kept.contains(id) {
            problems.append("gate result \(id) is gone, but its judgement is in the audit chain")
        }
        return problems
    }

    private func runProblems(_ ledger: AuthorityLedger) async throws -> [String] {
        var problems: [String] = []
        var present = Set<String>()
        var made: [ObjectID: [LineageClaim]] = [:]
        for run in try await metadata.runs(pipeline: nil) {
            present.insert(run.id)
            guard run.status != .running else {
                if ledger.finished[run.id] != nil {
                    problems.append("run \(run.id) is recorded as running, but its run.finish event says it ended")
                }
                continue
            }
            if let digest = ledger.finished[run.id] {
                if digest != (try run.auditDigest()) {
                    problems.append(
                        "run \(run.id)'s record was changed after it ended (it no longer matches its run.finish event)")
                } else {
                    for claim in LineageClaim.all(of: run) { made[claim.version, default: []].append(claim) }
                }
            } else {
                problems.append(
                    "run \(run.id) is recorded as \(run.status.rawValue), but no audit event sealed how it ended")
            }
        }
        for id in ledger.finished.keys.sorted() where !present.contains(id) && !ledger.expiredRuns.contains(id) {
            problems.append("run \(id)'s record is gone, but no audited lifecycle removed it")
        }
        return problems + (try await lineageProblems(made, expiredRuns: ledger.expiredRuns))
    }

    /// Every version a sealed run record says a step made has the lineage of one of the runs that made it
    /// (or of a run retention removed since).
    private func lineageProblems(
        _ made: [ObjectID: [LineageClaim]], expiredRuns: Set<String>
    ) async throws
        -> [String]
    {
        var problems: [String] = []
        for (version, claims) in made.sorted(by: { $0.key.hex < $1.key.hex }) {
            guard let lineage = try await metadata.lineage(of: version) else {
                problems.append(
                    "version \(version.short) was made by step \(claims[0].step) in run \(claims[0].runID), but its lineage is gone"
                )
                continue
            }
            if !expiredRuns.contains(lineage.runID) && !claims.contains(LineageClaim(lineage)) {
                problems.append(
                    "the lineage of version \(version.short) does not match the sealed record of run \(lineage.runID)")
            }
        }
        return problems
    }

    private func refProblems(_ heads: [String: String], ttls: [String: String]) async throws -> [String] {
        var problems: [String] = []
        let stored = try await metadata.environments()
        let names = Set(stored.map(\.name))
        for (name, head) in heads.sorted(by: { $0.key < $1.key }) where !names.contains(name) {
            problems.append(
                "environment \(name) is gone, but no audited change deleted it (its last one put it at \(head.prefix(12)))"
            )
        }
        for environment in stored {
            let ttl = environment.ttl?.description ?? "declared"
            if ttl != ttls[environment.name] ?? "declared" {
                problems.append(
                    "environment \(environment.name) expires after \(ttl) idle, but it was created with \(ttls[environment.name] ?? "the declared lifecycle")"
                )
            }
            guard let head = environment.head else { continue }
            if let problem = try await refProblem(environment.name, head: head, audited: heads[environment.name]) {
                problems.append(problem)
            }
        }
        return problems
    }

    private func refProblem(_ name: String, head: ObjectID, audited: String?) async throws -> String? {
        guard let audited else {
            return "environment \(name) is at \(head.short), but no audit event ever moved it there"
        }
        guard audited == head.hex else {
            return
                "environment \(name) is at \(head.short), but its last audited change put it at \(audited.prefix(12))"
        }
        guard try await metadata.environmentHistory(name).contains(where: { $0.to == head }) else {
            return "environment \(name)'s history lacks the move to its head \(head.short)"
        }
        return nil
    }

    private func tokenProblems(created: [String: String], revoked: Set<String>) async throws -> [String] {
        try await metadata.tokens().compactMap { token in
            guard token.hashMatchesID else {
                return "token \(token.id) of \(token.principal) holds a hash it was not created with"
            }
            guard let principal = created[token.id] else {
                return "token \(token.id) of \(token.principal) was never created by an audited event"
            }
            guard principal == token.principal else {
                return "token \(token.id) belongs to \(token.principal) in the store, but was created for \(principal)"
            }
            if token.revokedAt == nil && revoked.contains(token.id) {
                return "token \(token.id) was revoked, but the store holds it as active"
            }
            return nil
        }
    }

    /// Rehashes every object and checks that every environment's commit, and every version and file it
    /// names, is present.
    public func verifyStore() async throws -> StoreVerification {
        var corrupt: [ObjectID] = []
        var bytes: Int64 = 0
        let all = try await objects.allObjects()
        for id in all {
            if try await !objects.verify(id) { corrupt.append(id) }
            bytes += try await objects.size(of: id) ?? 0
        }
        let present = Set(all)
        var missing: [String] = []
        var checkedCommits = Set<ObjectID>()
        // Versions retention let go are expected to be gone: commits still name them, as history.
        var checkedVersions = Set(try await metadata.collectedVersions().keys)
        for environment in try await metadata.environments() {
            guard let head = environment.head else { continue }
            var queue = [head]
            while let id = queue.popLast() {
                guard checkedCommits.insert(id).inserted else { continue }
                guard let commit = try await metadata.commit(id) else {
                    missing.append("commit \(id.short) (reachable from \(environment.name))")
                    continue
                }
                queue.append(contentsOf: commit.content.parents)
                for (dataset, versionID) in commit.content.datasets where checkedVersions.insert(versionID).inserted {
                    guard let version = try await metadata.version(versionID) else {
                        missing.append("version \(versionID.short) of \(dataset)")
                        continue
                    }
                    if !present.contains(versionID) {
                        missing.append("manifest of version \(versionID.short) of \(dataset)")
                    }
                    for file in version.manifest.files {
                        for chunk in file.chunks where !present.contains(chunk.object) {
                            missing.append(
                                "object \(chunk.object.short) (\(file.name) of \(dataset) version \(versionID.short))")
                        }
                    }
                }
            }
        }
        // Every run record's captured logs are kept with it (they go only when the record's lifecycle ends).
        for run in try await metadata.runs(pipeline: nil) {
            for step in run.steps {
                for attempt in step.attempts {
                    for (stream, object) in [("output", attempt.stdout), ("errors", attempt.stderr)] {
                        guard let object, !present.contains(object) else { continue }
                        let owner = "run \(run.id) step \(step.step) attempt \(attempt.number)"
                        missing.append("object \(object.short) (the \(stream) of \(owner))")
                    }
                }
            }
        }
        return StoreVerification(objects: all.count, bytes: bytes, corrupt: corrupt, missing: missing)
    }
}
