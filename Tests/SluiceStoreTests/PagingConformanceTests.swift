import Foundation
import SluiceCore
import SluiceStore
import Testing

/// Issue 12 item 0: runs and audit events are listed a page at a time, newest first, on every backend: paging
/// with any limit and filter returns exactly the filtered list, once each, in order, and a cursor no page gave
/// is refused.
@Suite struct PagingConformanceTests {
    typealias Backend = MetadataStoreConformanceTests.Backend

    func run(_ index: Int) -> RunRecord {
        var record = RunRecord(
            id: "r\(index)", pipeline: index % 3 == 0 ? "daily" : "hourly", environment: "dev", principal: "ci",
            traceID: "t\(index)", gitCommit: nil, baseCommit: nil, maxParallel: 1,
            startedAt: Timestamp(milliseconds: 1_790_000_000_000 + Int64(index)), steps: [])
        record.status = index % 4 == 0 ? .failed : .succeeded
        return record
    }

    func pages<Item>(
        limit: Int, _ fetch: (PageRequest) async throws -> Page<Item>
    ) async throws -> [Item] {
        var items: [Item] = []
        var request = PageRequest(limit: limit)
        while true {
            let page = try await fetch(request)
            #expect(page.items.count <= limit)
            items += page.items
            guard let next = page.next else { return items }
            #expect(page.items.count == limit, "only the last page is short")
            request = PageRequest(limit: limit, after: next)
        }
    }

    @Test(arguments: Backend.allCases) func runsPageNewestFirst(_ backend: Backend) async throws {
        let (store, folder) = try backend.make()
        _ = folder
        for index in 0..<230 { try await store.saveRun(run(index)) }
        // Saving a run again keeps its place.
        var updated = run(5)
        updated.message = "again"
        try await store.saveRun(updated)
        let all = try await store.runs(pipeline: nil)
        for filter in [RunFilter(), RunFilter(pipeline: "daily"), RunFilter(pipeline: "hourly", status: .failed)] {
            let expected = all.filter(filter.matches).map(\.id)
            for limit in [1, 7, 100, 1000] {
                let paged = try await pages(limit: limit) { try await store.runs(filter, page: $0) }
                #expect(paged.map(\.id) == expected, "\(filter) by \(limit)")
            }
        }
        #expect(
            try await store.runs(RunFilter(), page: PageRequest(limit: 3)).items.map(\.id) == ["r229", "r228", "r227"])
        await #expect(throws: UsageError.self) { _ = try await store.runs(RunFilter(), page: PageRequest(after: "x")) }
    }

    @Test(arguments: Backend.allCases) func auditEventsPageNewestFirst(_ backend: Backend) async throws {
        let (store, folder) = try backend.make()
        _ = folder
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
            AuditFilter(target: "prod"),
        ]
        for filter in filters {
            let expected = all.filter(filter.matches).map(\.sequence)
            for limit in [1, 9, 1000] {
                let paged = try await pages(limit: limit) { try await store.auditEvents(filter, page: $0) }
                #expect(paged.map(\.sequence) == expected, "\(filter) by \(limit)")
            }
        }
    }

    /// Issue 12 item 4: a scheduled tick is claimed once, however many claim it at once.
    @Test(arguments: Backend.allCases) func aTickIsClaimedOnce(_ backend: Backend) async throws {
        let (store, folder) = try backend.make()
        _ = folder
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
        #expect(wins == 1)
        #expect(try await store.latestTick(pipeline: "daily", environment: "dev") == tick)
        #expect(try await store.latestTick(pipeline: "daily", environment: "prod") == nil)
        let later = Timestamp(milliseconds: tick.milliseconds + 3_600_000)
        #expect(
            try await store.claimTick(
                TickClaim(pipeline: "daily", environment: "dev", tick: later, claimedAt: later, claimedBy: "s0")))
        #expect(try await store.latestTick(pipeline: "daily", environment: "dev") == later)
    }
}
