import Foundation
import SluiceCore
import SluiceRunner
import Testing

/// Issue 24 item 2: code that holds a `Workspace` outside SluiceCore reaches the store only through the use
/// cases. Without the grant it cannot land a commit, move a ref or read a dataset, whichever door it tries
/// (a run begun, a run's session, a promotion, a read, a detached session as a reproduction makes), and each
/// refusal is audited exactly once.
@Suite struct EngineDoorTests {
    @Test func aWorkspaceWithoutGrantsCannotLandMoveOrRead() async throws {
        let harness = try RunnerHarness(files: PipelineRunnerTests.twoStepFiles())
        try await harness.ingest("id,amount\n1,1\n")
        try harness.write("flags/ok", "")
        let before = try #require(try await harness.head("dev"))
        let raw = try #require(await harness.metadata.commit(before)?.content.datasets["raw.orders"])
        // Not a principal of the policy: no role, no grant.
        let outsider = try harness.workspace(as: "mallory")
        let deniedBefore = try await Self.denials(harness)

        await #expect(throws: AccessDenied.self) {
            _ = try await outsider.beginRun("two", options: RunOptions(environment: "dev"), traceID: "t")
        }
        await #expect(throws: AccessDenied.self) {
            _ = try await outsider.beginRun("two", options: RunOptions(environment: "prod"), traceID: "t")
        }
        await #expect(throws: AccessDenied.self) { _ = try await outsider.promote(from: "dev", to: "prod") }
        await #expect(throws: AccessDenied.self) {
            try await outsider.cat("raw.orders", in: "dev") { _ in Issue.record("a byte was read") }
        }
        let pipeline = try #require(outsider.project.pipelines["two"])
        let detached = try await RunService(context: outsider.context).detachedSession(
            runID: "x", pipeline: pipeline, environment: "reproduce", readsFrom: "dev")
        await #expect(throws: AccessDenied.self) {
            _ = try await detached.input(raw) { _ in Issue.record("a byte was read") }
        }

        // Nor can it keep a run record, or seal a run's end in the audit chain, through a detached session.
        var forged = detached.started
        forged.status = .succeeded
        await #expect(throws: InternalError.self) { _ = try await detached.save(forged) }
        await #expect(throws: InternalError.self) { _ = try await detached.end(forged) }

        #expect(try await harness.head("dev") == before, "no ref moved")
        #expect(try await harness.head("prod") == nil)
        #expect(await harness.metadata.environments().map(\.name) == ["dev"], "no staging environment was made")
        #expect(await harness.metadata.runs(pipeline: nil).isEmpty, "no run was recorded")
        #expect(await harness.metadata.auditEvents().allSatisfy { $0.draft.action != "run.finish" })
        #expect(try await Self.denials(harness) - deniedBefore == 5, "each refusal audited once")
    }

    /// A run's session reads what its environment holds and what the run made; a version from elsewhere is a
    /// read it must be granted like any other (a restricted dataset beyond the principal's ceiling is refused).
    @Test func aRunSessionReadsOnlyWhatItsGrantsReach() async throws {
        let harness = try RunnerHarness(files: PipelineRunnerTests.twoStepFiles())
        try await harness.ingest("id,amount\n1,1\n")
        let session = try await harness.workspace(as: "alice").beginRun(
            "two", options: RunOptions(environment: "dev"), traceID: "t")
        let head = try #require(session.head?.content.datasets["raw.orders"])
        _ = try await session.input(head) { _ in }
        let elsewhere = try #require(ObjectID(hex: String(repeating: "ab", count: 32)))
        await #expect(throws: (any Error).self) { _ = try await session.input(elsewhere) { _ in } }
    }

    static func denials(_ harness: RunnerHarness) async throws -> Int {
        await harness.metadata.auditEvents().filter { $0.draft.outcome == .denied }.count
    }
}
