import Foundation
import SluiceCore
import SluiceRunner
import SluiceStore
import Testing

/// Issue 12 item 4: pipelines fire on their schedule under an injected clock; a tick is claimed once, even by
/// two schedulers on one store; ticks missed while no service ran are run once; a pipeline does not overlap
/// itself in an environment.
@Suite struct SchedulerTests {
    static func files() -> [String: String] {
        var files = PipelineRunnerTests.twoStepFiles()
        precondition(files["sluice.yaml"]!.contains("\n  two:\n"))
        files["sluice.yaml"] = files["sluice.yaml"]!
            .replacingOccurrences(of: "  two:\n", with: "  two:\n    schedule: \"0 * * * *\"\n")
            .replacingOccurrences(of: "pipelines:\n", with: "service: { run_as: ci }\npipelines:\n")
        files["flags/ok"] = ""
        return files
    }

    static func at(_ text: String) -> Timestamp { Timestamp(ISO8601DateFormatter().date(from: text)!) }

    func scheduler(_ harness: RunnerHarness, claimant: String = "test:1") throws -> PipelineScheduler {
        let workspace = try harness.workspace()
        return PipelineScheduler(
            project: workspace.project, objects: harness.objects, metadata: harness.metadata, gate: workspace.gate,
            git: CleanGit(), files: LocalFileSource(), claimant: claimant,
            makeRunner: { [harness] workspace in
                PipelineRunner(
                    workspace: workspace, scratch: harness.root.appendingPathComponent(".scratch"), sleep: { _ in })
            })
    }

    @Test func aScheduledRunFiresOnItsTickAndOnlyThen() async throws {
        let harness = try RunnerHarness(files: Self.files())
        try await harness.ingest("id,amount\n1,1\n")
        let scheduler = try scheduler(harness)
        // First sight: the 10:00 tick is recorded, not run.
        let first = try await scheduler.claimDue(now: Self.at("2026-11-28T10:30:00Z"))
        #expect(first.map(\.runs) == [false])
        #expect(try await scheduler.claimDue(now: Self.at("2026-11-28T10:59:59Z")).isEmpty)
        let due = try await scheduler.claimDue(now: Self.at("2026-11-28T11:00:04Z"))
        #expect(due.map(\.claim.tick) == [Self.at("2026-11-28T11:00:00Z")] && due.map(\.runs) == [true])
        let run = try #require(await scheduler.run(due[0]))
        #expect(run.status == .succeeded && run.principal == "ci" && run.environment == "dev")
        #expect(try await harness.read("curated.orders") == "id,amount\n1,2.0\n")
        #expect(try await scheduler.claimDue(now: Self.at("2026-11-28T11:30:00Z")).isEmpty, "the 11:00 tick ran once")
    }

    @Test func twoSchedulersOnOneStoreClaimATickOnce() async throws {
        let harness = try RunnerHarness(files: Self.files())
        let one = try scheduler(harness, claimant: "a:1")
        let other = try scheduler(harness, claimant: "b:2")
        _ = try await one.claimDue(now: Self.at("2026-11-28T10:30:00Z"))
        let now = Self.at("2026-11-28T11:00:10Z")
        async let a = one.claimDue(now: now)
        async let b = other.claimDue(now: now)
        let claims = try await a + b
        #expect(claims.count == 1, "\(claims)")
    }

    @Test func ticksMissedWhileNoServiceRanAreRunOnce() async throws {
        let harness = try RunnerHarness(files: Self.files())
        let scheduler = try scheduler(harness)
        _ = try await scheduler.claimDue(now: Self.at("2026-11-28T10:30:00Z"))
        // Down from 10:30 to 15:30: five ticks missed, one run.
        let due = try await scheduler.claimDue(now: Self.at("2026-11-28T15:30:00Z"))
        #expect(due.map(\.claim.tick) == [Self.at("2026-11-28T15:00:00Z")] && due.map(\.runs) == [true])
        #expect(try await scheduler.claimDue(now: Self.at("2026-11-28T15:45:00Z")).isEmpty)
    }

    /// The scheduler has seen the schedule (at 10:30), and a run of the pipeline is live at `now`.
    static func runningAt(
        _ now: Timestamp, after scheduler: PipelineScheduler, in harness: RunnerHarness
    ) async throws -> RunRecord {
        _ = try await scheduler.claimDue(now: at("2026-11-28T10:30:00Z"))
        var live = RunRecord(
            id: "r-live", pipeline: "two", environment: "dev", principal: "ci", traceID: "t", gitCommit: nil,
            baseCommit: nil, maxParallel: 1, startedAt: now, steps: [])
        live.heartbeatAt = now
        await harness.metadata.saveRun(live)
        return live
    }

    @Test func aPipelineDoesNotOverlapItselfInAnEnvironment() async throws {
        let harness = try RunnerHarness(files: Self.files())
        let scheduler = try scheduler(harness)
        let now = Self.at("2026-11-28T11:00:05Z")
        _ = try await Self.runningAt(now, after: scheduler, in: harness)
        let due = try await scheduler.claimDue(now: now)
        try #require(due.count == 1, "\(due)")
        #expect(!due[0].runs && due[0].claim.claimedBy.contains("r-live"), "\(due)")
        #expect(await scheduler.run(due[0]) == nil)
    }

    @Test func withOverlapWaitATickWaitsForThePreviousRun() async throws {
        var files = Self.files()
        files["sluice.yaml"] = files["sluice.yaml"]!
            .replacingOccurrences(
                of: "    schedule: \"0 * * * *\"\n", with: "    schedule: \"0 * * * *\"\n    overlap: wait\n")
        let harness = try RunnerHarness(files: files)
        try await harness.ingest("id,amount\n1,1\n")
        let scheduler = try scheduler(harness)
        let now = Self.at("2026-11-28T11:00:05Z")
        var live = try await Self.runningAt(now, after: scheduler, in: harness)
        #expect(try await scheduler.claimDue(now: now).isEmpty, "it waits")
        live.status = .succeeded
        await harness.metadata.saveRun(live)
        let due = try await scheduler.claimDue(now: Self.at("2026-11-28T11:03:00Z"))
        #expect(due.map(\.claim.tick) == [Self.at("2026-11-28T11:00:00Z")] && due.map(\.runs) == [true])
        #expect(await scheduler.run(due[0])?.status == .succeeded)
    }
}
