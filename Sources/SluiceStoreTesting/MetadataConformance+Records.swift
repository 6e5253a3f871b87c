import Foundation
import SluiceCore

/// The contract every `MetadataStore` must meet; each test runs against every backend.
extension MetadataConformance {
    static let time = Timestamp(milliseconds: 1_790_000_000_000)

    static func commit(_ message: String, parents: [ObjectID] = []) throws -> Commit {
        try Commit(
            CommitContent(
                parents: parents, datasets: [:], actor: "t", message: message, gitCommit: nil, createdAt: Self.time))
    }

    static func move(_ environment: String, from: ObjectID?, to: ObjectID) -> RefMove {
        RefMove(environment: environment, from: from, to: to, actor: "t", reason: "test", gitCommit: nil, at: Self.time)
    }

    /// Two saved commits, the second a child of the first.
    static func twoCommits(in store: any MetadataStore) async throws -> (Commit, Commit) {
        let first = try commit("first")
        let second = try commit("second", parents: [first.id])
        try await store.saveCommit(first)
        try await store.saveCommit(second)
        return (first, second)
    }

    static func template(_ name: String) -> EnvironmentRecord {
        EnvironmentRecord(name: name, head: nil, createdAt: Self.time, createdBy: "t")
    }

    /// Issue 21 item 2: text with a NUL (which SQLite's text columns cut at) is sealed as it is stored, so
    /// every event read back hashes to what its chain says, and the events after it too.
    static func auditTextIsSealedExactlyAsStored(_ store: any MetadataStore) async throws {
        let hostile = AuditDraft(
            time: Self.time, principal: "eve\u{0}ci", authentication: .token, action: "token.create",
            target: "\u{0}", outcome: .denied, details: ["reason\u{0}": "a\u{0}b", "ok": "line\nbreak"])
        _ = try await store.appendAudit(hostile)
        _ = try await store.appendAudit(
            AuditDraft(
                time: Self.time, principal: "ops", authentication: .token, action: "x", target: "y", outcome: .succeeded
            ))
        let events = try await store.auditEvents()
        try expect(events.count == 2)
        var previous = AuditEvent.genesisHash
        for event in events {
            try expect(event.previousHash == previous)
            let hash = try AuditEvent.computeHash(
                sequence: event.sequence, draft: event.draft, previousHash: event.previousHash)
            try expect(hash == event.hash, "event \(event.sequence) read back differs from what was sealed")
            previous = event.hash
        }
        try expect(events[0].draft.target == "\u{FFFD}" && events[0].draft.principal == "eve\u{FFFD}ci")
        try expect(events[0].draft.details["ok"] == "line\nbreak")
    }

    /// Issue 21 item 12: however many first commands race to apply the bootstrap policy, one event lands.
    static func theFirstAuditOfAnActionIsAppendedOnce(_ store: any MetadataStore) async throws {
        let draft = AuditDraft(
            time: Self.time, principal: "sluice", authentication: .anonymous, action: "policy.apply",
            target: "policy", outcome: .succeeded)
        let appended = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<8 { group.addTask { try await store.appendFirstAudit(draft) != nil } }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        try expect(appended == 1)
        try expect(try await store.auditEvents().filter { $0.draft.action == "policy.apply" }.count == 1)
    }

    /// A gate result lands with the event that vouches for it, and that event is found by its target.
    static func aGateResultIsKeptWithItsJudgement(_ store: any MetadataStore) async throws {
        let report = ValidationReport(
            dataset: "raw.orders", files: [], rows: 1, validRows: 1, invalidRows: 0, batchProblems: [], checks: [],
            checkedAt: Self.time)
        let identity = Identity(principal: "ci", role: nil, authentication: .token)
        for id in ["a", "b"] {
            let run = CheckRun(
                id: id, dataset: DatasetName("raw.orders")!, environment: "dev", version: nil, quarantine: nil,
                origin: "test", passed: id == "a", report: report, at: Self.time)
            try await store.saveCheckRun(run, audit: try run.auditDraft(by: identity, at: Self.time))
        }
        let judged = try await store.auditEvents(action: CheckRun.auditAction, target: "b")
        try expect(judged.map(\.draft.outcome) == [.failed])
        let kept = try require(try await store.checkRuns(dataset: nil, environment: nil).first { $0.id == "b" })
        try expect(try kept.unvouched(by: judged) == nil)
        try expect(try kept.unvouched(by: []) != nil)
        var edited = kept
        edited.passed = true
        try expect(try edited.unvouched(by: judged)?.contains("changed after it was judged") == true)
    }

    static func refsMoveOnlyByCompareAndSwap(_ store: any MetadataStore) async throws {
        let (first, second) = try await twoCommits(in: store)
        try await store.moveEnvironment(move("dev", from: nil, to: first.id), template: template("dev"), audit: nil)
        try expect(try await store.environment("dev")?.head == first.id)
        try await expectThrows(ConflictError.self) {
            try await store.moveEnvironment(
                move("dev", from: nil, to: second.id), template: template("dev"), audit: nil)
        }
        let stale = try commit("stale")
        try await expectThrows(ConflictError.self) {
            try await store.moveEnvironment(
                move("dev", from: stale.id, to: second.id), template: template("dev"), audit: nil)
        }
        try expect(try await store.environment("dev")?.head == first.id)
        try await store.moveEnvironment(
            move("dev", from: first.id, to: second.id), template: template("dev"), audit: nil)
        try expect(try await store.environment("dev")?.head == second.id)
        try expect(try await store.environmentHistory("dev").map(\.to) == [second.id, first.id])
    }

    static func concurrentMovesFromOneHeadHaveOneWinner(_ store: any MetadataStore) async throws {
        let base = try commit("base")
        try await store.saveCommit(base)
        try await store.moveEnvironment(move("dev", from: nil, to: base.id), template: template("dev"), audit: nil)
        let candidates = try (0..<8).map { try commit("candidate \($0)", parents: [base.id]) }
        for candidate in candidates { try await store.saveCommit(candidate) }
        let outcomes = await withTaskGroup(of: Bool.self) { group in
            for candidate in candidates {
                group.addTask {
                    do {
                        try await store.moveEnvironment(
                            move("dev", from: base.id, to: candidate.id), template: template("dev"), audit: nil)
                        return true
                    } catch {
                        return false
                    }
                }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        try expect(outcomes.filter { $0 }.count == 1)
        let head = try require(try await store.environment("dev")?.head)
        try expect(candidates.map(\.id).contains(head))
        // Losers' commits are still stored: nothing is lost.
        for candidate in candidates { try expect(try await store.commit(candidate.id) == candidate) }
    }

    static func createEnvironmentRefusesExistingName(_ store: any MetadataStore) async throws {
        try await store.createEnvironment(template("sandbox/a"), audit: nil)
        try await expectThrows(ConflictError.self) {
            try await store.createEnvironment(template("sandbox/a"), audit: nil)
        }
        try await store.touchEnvironment("sandbox/a", at: Timestamp(milliseconds: Self.time.milliseconds + 5))
        try await store.touchEnvironment("sandbox/a", at: Timestamp(milliseconds: Self.time.milliseconds + 2))
        try expect(try await store.environment("sandbox/a")?.lastUsedAt.milliseconds == Self.time.milliseconds + 5)
    }

    static func versionsAndCommitsAreIdempotent(_ store: any MetadataStore) async throws {
        let file = ManifestFile(
            name: "a.csv", chunks: [ChunkRef(object: ObjectID.hashing(Data("x".utf8)), bytes: 1)], rows: 0)
        let manifest = VersionManifest(dataset: DatasetName("raw.a")!, format: .csv, files: [file], schema: ["x"])
        let version = try DatasetVersion(manifest: manifest, createdAt: Self.time, createdBy: "t")
        try await store.saveVersion(version)
        try await store.saveVersion(version)
        try expect(try await store.version(version.id) == version)
        try expect(
            try await store.versions(prefix: String(version.id.hex.prefix(6)), dataset: version.dataset) == [version])
        try expect(
            try await store.versions(prefix: String(version.id.hex.prefix(6)), dataset: DatasetName("raw.b")!).isEmpty)
        let saved = try commit("c")
        try await store.saveCommit(saved)
        try await store.saveCommit(saved)
        try expect(try await store.commit(saved.id) == saved)
    }

    static func auditChainLinksEveryEvent(_ store: any MetadataStore) async throws {
        await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<20 {
                group.addTask {
                    let draft = AuditDraft(
                        time: Self.time, principal: "p\(index)", authentication: .token, action: "a", target: "t",
                        outcome: .succeeded,
                        details: ["n": "\(index)"])
                    try await store.appendAudit(draft)
                }
            }
        }
        let events = try await store.auditEvents()
        try expect(events.map(\.sequence) == Array(1...20))
        for (previous, event) in zip(events, events.dropFirst()) { try expect(event.previousHash == previous.hash) }
        try expect(try await store.auditHead() == AuditHead(sequence: 20, hash: events.last!.hash))
    }

    static func tokensStoreHashesAndRevoke(_ store: any MetadataStore) async throws {
        let record = TokenRecord(
            id: "abc", principal: "ci", secretHash: TokenSecret.hash("s"), createdAt: Self.time, createdBy: "ops")
        try await store.saveToken(record)
        try expect(try await store.token(secretHash: TokenSecret.hash("s"))?.principal == "ci")
        try expect(try await store.revokeToken(id: "abc", at: Self.time))
        try expect(try await !store.revokeToken(id: "abc", at: Self.time))
        try expect(try await store.token(secretHash: TokenSecret.hash("s"))?.isActive == false)
    }

    /// A ref and its audit event change together: a refused move appends nothing, a done one exactly one.
    static func aRefMovesWithItsAuditEventOrNotAtAll(_ store: any MetadataStore) async throws {
        let (first, second) = try await twoCommits(in: store)
        let draft = AuditDraft(
            time: Self.time, principal: "ci", authentication: .token, action: "promote", target: "dev",
            outcome: .succeeded, details: ["head": first.id.hex])
        try await store.moveEnvironment(move("dev", from: nil, to: first.id), template: template("dev"), audit: draft)
        try expect(try await store.auditEvents().map(\.draft) == [draft])
        try await expectThrows(ConflictError.self) {
            try await store.moveEnvironment(
                move("dev", from: second.id, to: first.id), template: template("dev"), audit: draft)
        }
        try expect(try await store.auditEvents().count == 1)
        try await store.createEnvironment(template("sandbox/a"), audit: draft)
        try await expectThrows(ConflictError.self) {
            try await store.createEnvironment(template("sandbox/a"), audit: draft)
        }
        try expect(try await store.auditEvents().count == 2)
    }

    static func theFirstTokenIsSavedOnceWithItsAuditEvent(_ store: any MetadataStore) async throws {
        func draft(_ principal: String) -> AuditDraft {
            AuditDraft(
                time: Self.time, principal: principal, authentication: .anonymous, action: "token.create",
                target: "ops", outcome: .succeeded)
        }
        let tokens = (0..<8).map {
            TokenRecord(
                id: "t\($0)", principal: "ops", secretHash: TokenSecret.hash("s\($0)"), createdAt: Self.time,
                createdBy: "anonymous")
        }
        let saved = await withTaskGroup(of: Bool.self) { group in
            for token in tokens {
                group.addTask { (try? await store.saveFirstToken(token, audit: draft(token.id))) != nil }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        try expect(saved == 1)
        try expect(try await store.tokens().count == 1)
        try expect(try await store.auditEvents().count == 1)
        try expect(try await store.saveFirstToken(tokens[0], audit: draft("again")) == nil)
    }

    static func theLatestAuditEventOfAnActionIsFound(_ store: any MetadataStore) async throws {
        for (index, outcome) in [AuditOutcome.succeeded, .succeeded, .denied].enumerated() {
            try await store.appendAudit(
                AuditDraft(
                    time: Self.time, principal: "p", authentication: .token, action: "policy.apply", target: "policy",
                    outcome: outcome, details: ["n": "\(index)"]))
            try await store.appendAudit(
                AuditDraft(
                    time: Self.time, principal: "p", authentication: .token, action: "other", target: "t",
                    outcome: .succeeded))
        }
        try expect(try await store.latestAudit(action: "policy.apply", outcome: .succeeded)?.draft.details["n"] == "1")
        try expect(try await store.latestAudit(action: "policy.apply", outcome: .denied)?.draft.details["n"] == "2")
        try expect(try await store.latestAudit(action: "none", outcome: .succeeded) == nil)
    }

    static func runRecordsAreReplacedByIdAndListedNewestFirst(_ store: any MetadataStore) async throws {
        func record(_ id: String, pipeline: String) -> RunRecord {
            RunRecord(
                id: id, pipeline: pipeline, environment: "dev", principal: "ci", traceID: "t-\(id)", gitCommit: nil,
                baseCommit: nil, maxParallel: 2, startedAt: Self.time, steps: [StepRun(step: "a")])
        }
        try await store.saveRun(record("r1", pipeline: "daily"))
        try await store.saveRun(record("r2", pipeline: "hourly"))
        var finished = record("r1", pipeline: "daily")
        finished.status = .failed
        finished.steps[0].status = .failed
        finished.steps[0].attempts = [StepAttempt(number: 1, startedAt: Self.time)]
        try await store.saveRun(finished)
        try expect(try await store.run("r1") == finished)
        try expect(try await store.run("nope") == nil)
        try expect(try await store.runs(pipeline: nil).map(\.id) == ["r2", "r1"])
        try expect(try await store.runs(pipeline: "daily").map(\.id) == ["r1"])
    }

    static func environmentsAreDeletedOnlyAsTheyWereSeen(_ store: any MetadataStore) async throws {
        try await store.createEnvironment(template("sandbox/x"), audit: nil)
        let seen = try require(try await store.environment("sandbox/x"))
        try await store.touchEnvironment("sandbox/x", at: Timestamp(milliseconds: Self.time.milliseconds + 5))
        try expect(try await !store.deleteEnvironment(seen), "used after it was judged: kept")
        let fresh = try require(try await store.environment("sandbox/x"))
        try expect(try await store.deleteEnvironment(fresh))
        try expect(try await store.environment("sandbox/x") == nil)
        try expect(try await !store.deleteEnvironment(fresh), "already gone")
    }

    static func lineageKeepsTheFirstRecordAndFindsConsumers(_ store: any MetadataStore) async throws {
        let raw = ObjectID.hashing(Data("raw".utf8))
        let other = ObjectID.hashing(Data("other".utf8))
        func record(_ output: String, inputs: [String: ObjectID], run: String) throws -> LineageRecord {
            LineageRecord(
                version: ObjectID.hashing(Data(output.utf8)), dataset: try require(DatasetName("staged.\(output)")),
                pipeline: "p", runID: run, step: output, environment: "dev", inputs: inputs, cacheKey: "k",
                gitCommit: nil, startedAt: Self.time, endedAt: Self.time)
        }
        let a = try record("a", inputs: ["raw.x": raw], run: "r1")
        let b = try record("b", inputs: ["raw.x": raw, "raw.y": other], run: "r1")
        try await store.saveLineage(a)
        try await store.saveLineage(b)
        try await store.saveLineage(try record("a", inputs: ["raw.y": other], run: "r2"))
        try expect(try await store.lineage(of: a.version) == a)
        try expect(try await store.lineage(of: raw) == nil)
        try expect(Set(try await store.lineage(consuming: raw).map(\.version)) == [a.version, b.version])
        try expect(try await store.lineage(consuming: other).map(\.version) == [b.version])
    }
}
