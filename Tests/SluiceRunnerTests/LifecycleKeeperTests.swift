import Foundation
import SluiceCore
import SluiceRunner
import Testing

/// Issue 12 item 6: the service enforces lifecycles on its own: on its gc schedule it ends abandoned runs and
/// deletes idle environments, audited, once per tick however many services share the store.
@Suite struct LifecycleKeeperTests {
    @Test func idleEnvironmentsGoAndAbandonedRunsEndWithoutAnyoneTypingGC() async throws {
        var files = SchedulerTests.files()
        files["sluice.yaml"] = files["sluice.yaml"]!
            .replacingOccurrences(of: "\"promote:prod\"] }", with: "\"promote:prod\", \"delete:*\"] }")
            .replacingOccurrences(of: "service: { run_as: ci }", with: "service: { run_as: ci, gc: \"0 * * * *\" }")
        let harness = try RunnerHarness(files: files)
        try await harness.ingest("id,amount\n1,1\n")
        // A run whose process died long ago (it beat at the harness's clock, months before now).
        let old = try harness.workspace().now()
        await harness.metadata.saveRun(
            RunRecord(
                id: "r-dead", pipeline: "two", environment: "dev", principal: "ci", traceID: "t", gitCommit: nil,
                baseCommit: nil, maxParallel: 1, startedAt: old, steps: []))
        let keeper = LifecycleKeeper(scheduler: try SchedulerTests().scheduler(harness))
        let pass = try #require(try await keeper.keepIfDue(now: .now()))
        #expect(pass.abandonedRunsEnded == ["r-dead"])
        #expect(await harness.metadata.run("r-dead")?.status == .cancelled)
        // dev expires after 30 idle days; it was last used at the harness's clock.
        #expect(pass.report.environments.map(\.name).contains("dev"), "\(pass.report.environments)")
        #expect(await harness.metadata.environment("dev") == nil)
        let events = await harness.metadata.auditEvents()
        #expect(
            events.contains {
                $0.draft.action == "gc.expire" && $0.draft.principal == "ci" && $0.draft.target == "dev"
            },
            "audited as the service")
        // Once per tick, whoever asks.
        let other = LifecycleKeeper(scheduler: try SchedulerTests().scheduler(harness, claimant: "other:2"))
        #expect(try await other.keepIfDue(now: .now()) == nil)
    }
}
