import Foundation
import SluiceCore

/// Issue 12 item 0: runs and audit events are listed a page at a time, newest first, on every backend: paging
/// with any limit and filter returns exactly the filtered list, once each, in order, and a cursor no page gave
/// is refused.
extension MetadataConformance {

    static func run(_ index: Int) -> RunRecord {
        var record = RunRecord(
            id: "r\(index)", pipeline: index % 3 == 0 ? "daily" : "hourly",
            environment: index % 5 == 0 ? "prod" : "dev",
            principal: index % 7 == 0 ? "alice" : "ci",
            traceID: "t\(index)", gitCommit: nil, baseCommit: nil, maxParallel: 1,
            startedAt: Timestamp(milliseconds: 1_790_000_000_000 + Int64(index)), steps: [])
        record.status = index % 4 == 0 ? .failed : .succeeded
        return record
    }

    static func pages<Item>(
        limit: Int, _ fetch: (PageRequest) async throws -> Page<Item>
    ) async throws -> [Item] {
        var items: [Item] = []
        var request = PageRequest(limit: limit)
        while true {
            let page = try await fetch(request)
            try expect(page.items.count <= limit)
            items += page.items
            guard let next = page.next else { return items }
            try expect(page.items.count == limit, "only the last page is short")
            request = PageRequest(limit: limit, after: next)
        }
    }

    static func runsPageNewestFirst(_ store: any MetadataStore) async throws {
        for index in 0..<230 { try await store.saveRun(run(index)) }
        // Saving a run again keeps its place.
        var updated = run(5)
        updated.message = "again"
        try await store.saveRun(updated)
        let all = try await store.runs(pipeline: nil)
        let since = Timestamp(milliseconds: 1_790_000_000_000 + 200)
        let filters = [
            RunFilter(), RunFilter(pipeline: "daily"), RunFilter(pipeline: "hourly", status: .failed),
            RunFilter(environment: "prod"), RunFilter(status: .failed, principal: "alice"),
            RunFilter(startedSince: since),
            RunFilter(pipeline: "daily", environment: "dev", principal: "ci", startedSince: since),
        ]
        for filter in filters {
            let expected = all.filter(filter.matches).map(\.id)
            for limit in [1, 7, 100, 1000] {
                let paged = try await pages(limit: limit) { try await store.runs(filter, page: $0) }
                try expect(paged.map(\.id) == expected, "\(filter) by \(limit)")
            }
        }
        try expect(
            try await store.runs(RunFilter(), page: PageRequest(limit: 3)).items.map(\.id) == ["r229", "r228", "r227"])
        // The newest four of each pipeline, as summaries, against the list read plainly.
        var taken: [String: Int] = [:]
        let recent = all.filter {
            taken[$0.pipeline, default: 0] += 1
            return taken[$0.pipeline]! <= 4
        }
        try expect(try await store.recentRuns(perPipeline: 4) == recent.map(RunSummary.init))
        try await expectThrows(UsageError.self) { _ = try await store.runs(RunFilter(), page: PageRequest(after: "x")) }
    }

    static func auditEventsPageNewestFirst(_ store: any MetadataStore) async throws {
        for index in 0..<150 {
            _ = try await store.appendAudit(
                AuditDraft(
                    time: Timestamp(milliseconds: Int64(index)), principal: index % 2 == 0 ? "alice" : "ci",
                    authentication: .token, action: ["ingest", "promote", "run"][index % 3], target: "dev",
                    outcome: index % 5 == 0 ? .denied : .succeeded, details: [:]))
        }
        let all = try await store.auditEvents().reversed()
        let filters = [
            AuditFilter(), AuditFilter(action: "promote"), AuditFilter(principal: "alice", outcome: .denied),
            AuditFilter(target: "prod"), AuditFilter(outcome: .denied, since: Timestamp(milliseconds: 100)),
        ]
        for filter in filters {
            let expected = all.filter(filter.matches).map(\.sequence)
            for limit in [1, 9, 1000] {
                let paged = try await pages(limit: limit) { try await store.auditEvents(filter, page: $0) }
                try expect(paged.map(\.sequence) == expected, "\(filter) by \(limit)")
            }
        }
    }

    /// Issue 12 item 4: a scheduled tick is claimed once, however many claim it at once.
    static func aTickIsClaimedOnce(_ store: any MetadataStore) async throws {
        let tick = Timestamp(milliseconds: 1_790_000_000_000)
        let wins = try await withThrowingTaskGroup(of: Bool.self) { group in
            for claimant in 0..<8 {
                group.addTask {
                    try await store.claimTick(
                        TickClaim(
                            pipeline: "daily", environment: "dev", tick: tick, claimedAt: tick,
                            claimedBy: "s\(claimant)"))
                }
            }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        try expect(wins == 1)
        try expect(try await store.latestTick(pipeline: "daily", environment: "dev") == tick)
        try expect(try await store.latestTick(pipeline: "daily", environment: "prod") == nil)
        let later = Timestamp(milliseconds: tick.milliseconds + 3_600_000)
        try expect(
            try await store.claimTick(
                TickClaim(pipeline: "daily", environment: "dev", tick: later, claimedAt: later, claimedBy: "s0")))
        try expect(try await store.latestTick(pipeline: "daily", environment: "dev") == later)
    }

    /// A landing file is claimed once; given back, it can be claimed again (and only that file).
    static func aLandingClaimGivenBackCanBeClaimedAgain(_ store: any MetadataStore) async throws {
        let time = Timestamp(milliseconds: 1_790_000_000_000)
        let claim = LandingClaim(
            source: "orders", path: "landing/a.csv", size: 10, modifiedMilliseconds: 5, claimedAt: time, claimedBy: "a")
        var other = claim
        other.path = "landing/b.csv"
        try expect(try await store.claimLanding(claim))
        try expect(try await store.claimLanding(other))
        try expect(try await !store.claimLanding(claim))
        try await store.releaseLanding(claim)
        try expect(try await store.claimLanding(claim))
        try expect(try await !store.claimLanding(other), "only the file given back")
    }

    /// A first-parent history of 250 commits (each also merging a side commit) pages exactly along first
    /// parents; a missing commit in the chain is an error, not a short history.
    static func historyPagesAlongFirstParents(_ store: any MetadataStore) async throws {
        var chain: [Commit] = []
        for index in 0..<250 {
            let side = try Commit(
                CommitContent(
                    parents: [], datasets: [:], actor: "side", message: "side \(index)", gitCommit: nil,
                    createdAt: Timestamp(milliseconds: Int64(index))))
            try await store.saveCommit(side)
            let commit = try Commit(
                CommitContent(
                    parents: chain.last.map { [$0.id, side.id] } ?? [], datasets: [:], actor: "ci",
                    message: "c\(index)", gitCommit: nil, createdAt: Timestamp(milliseconds: Int64(index))))
            try await store.saveCommit(commit)
            chain.append(commit)
        }
        let head = try require(chain.last?.id)
        for limit in [1, 7, 100, 1000] {
            let paged = try await pages(limit: limit) { try await store.firstParentHistory(from: head, page: $0) }
            let expected = chain.reversed().map(\.id)
            try expect(paged.count == expected.count, "by \(limit)")
            try expect(
                paged.map(\.id) == expected,
                "by \(limit): first difference at \(Array(zip(paged, expected)).firstIndex { $0.0.id != $0.1 } ?? -1)")
        }
        let orphan = try Commit(
            CommitContent(
                parents: [ObjectID(hex: String(repeating: "ab", count: 32))!], datasets: [:], actor: "ci",
                message: "dangling", gitCommit: nil,
                createdAt: Timestamp(milliseconds: 0)))
        try await store.saveCommit(orphan)
        try await expectThrows(InternalError.self) {
            _ = try await store.firstParentHistory(from: orphan.id, page: PageRequest(limit: 10))
        }
    }

    /// Gate results page newest first, filtered by dataset and environment, on every backend.
    static func checkRunsPageNewestFirst(_ store: any MetadataStore) async throws {
        for index in 0..<120 {
            let dataset = DatasetName(index % 2 == 0 ? "raw.orders" : "raw.customers")!
            let report = ValidationReport(
                dataset: dataset.description, files: [], rows: 0, validRows: 0, invalidRows: 0, batchProblems: [],
                checks: [], checkedAt: Timestamp(milliseconds: Int64(index)))
            let run = CheckRun(
                id: "c\(index)", dataset: dataset, environment: index % 3 == 0 ? "prod" : "dev", version: nil,
                quarantine: nil, origin: "test", passed: true, report: report,
                at: Timestamp(milliseconds: Int64(index)))
            try await store.saveCheckRun(
                run,
                audit: try run.auditDraft(
                    by: Identity(principal: "ci", role: nil, authentication: .token), at: run.at))
        }
        for (dataset, environment) in [(nil, nil), ("raw.orders", nil), (nil, "prod"), ("raw.customers", "dev")] {
            let name = dataset.flatMap(DatasetName.init)
            let expected = try await store.checkRuns(dataset: name, environment: environment).map(\.id)
            try expect(!expected.isEmpty)
            for limit in [1, 7, 1000] {
                let paged = try await pages(limit: limit) {
                    try await store.checkRuns(dataset: name, environment: environment, page: $0)
                }
                try expect(
                    paged.map(\.id) == expected,
                    "\(String(describing: dataset)) \(String(describing: environment)) by \(limit)")
            }
        }
        // The newest of each dataset and environment: c119 (customers, dev), c118 (orders, dev), c117 (customers,
        // prod), c114 (orders, prod); against the whole list, read plainly.
        var seen = Set<String>()
        let newest = try await store.checkRuns(dataset: nil, environment: nil).filter {
            seen.insert("\($0.dataset) \($0.environment)").inserted
        }
        try expect(newest.map(\.id) == ["c119", "c118", "c117", "c114"])
        try expect(try await store.latestCheckRuns(failedOnly: false).map(\.id) == newest.map(\.id))
        try expect(try await store.latestCheckRuns(failedOnly: true).isEmpty, "every result here passed")
    }

    /// Versions read in one go, and a dataset's history along first parents, on every backend.
    static func versionsAndDatasetHistory(_ store: any MetadataStore) async throws {
        let dataset = DatasetName("raw.orders")!
        var versions: [DatasetVersion] = []
        for index in 0..<3 {
            let version = try DatasetVersion(
                manifest: VersionManifest(
                    dataset: dataset, format: .csv,
                    files: [ManifestFile(name: "f\(index).csv", chunks: [], rows: Int64(index))], schema: ["id"]),
                createdAt: Timestamp(milliseconds: Int64(index)), createdBy: "ci")
            try await store.saveVersion(version)
            versions.append(version)
        }
        let unknown = ObjectID(hex: String(repeating: "cd", count: 32))!
        let found = try await store.versions([versions[0].id, versions[2].id, unknown])
        try expect(Set(found.keys) == [versions[0].id, versions[2].id])
        try expect(found[versions[2].id] == versions[2])
        // Commit i holds version i / 4 of raw.orders, except every fifth, which holds none.
        var chain: [Commit] = []
        for index in 0..<12 {
            let holds = index % 5 == 4 ? [:] : ["raw.orders": versions[index / 4].id]
            let commit = try Commit(
                CommitContent(
                    parents: chain.last.map { [$0.id] } ?? [], datasets: holds, actor: "a\(index)",
                    message: "c\(index)", gitCommit: nil, createdAt: Timestamp(milliseconds: Int64(index))))
            try await store.saveCommit(commit)
            chain.append(commit)
        }
        let history = try await store.datasetHistory(dataset, from: chain.last!.id, limit: 8)
        let expected = chain.reversed().prefix(8).map {
            DatasetAtCommit(
                commit: $0.id, createdAt: $0.content.createdAt, actor: $0.content.actor,
                version: $0.version(of: dataset))
        }
        try expect(history == Array(expected))
        try expect(try await store.datasetHistory(dataset, from: chain.last!.id, limit: 100).count == 12)
    }
}
