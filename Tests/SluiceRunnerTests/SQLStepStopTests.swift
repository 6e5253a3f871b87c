import Foundation
import SluiceRunner
import Testing

@testable import SluiceCore

/// Issue 24 (a bug it names): a sql step honours `timeout:` and stops when its run is cancelled, as a command
/// step does — its query is interrupted, not left to run on — and it runs off the cooperative pool.
@Suite struct SQLStepStopTests {
    /// A query that never ends by itself.
    static let endless = "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) AS n FROM c\n"

    static func harness(timeout: String?) throws -> RunnerHarness {
        let pipeline = """
              slow:
                steps:
                  forever:
                    sql: models/forever.sql
                    inputs: [raw.orders]
                    output: staged.h
            """ + (timeout.map { "\n        timeout: \($0)" } ?? "")
        return try RunnerHarness(files: [
            "sluice.yaml": RunnerHarness.yaml(pipeline: pipeline, datasets: PipelineRunnerTests.datasets(["staged.h"])),
            "models/forever.sql": endless,
        ])
    }

    @Test func aTimedOutQueryIsInterrupted() async throws {
        let harness = try Self.harness(timeout: "1s")
        try await harness.ingest("id,amount\n1,2\n")
        let started = Date()
        let error = await #expect(throws: RunFailed.self) {
            try await harness.runner().run("slow", options: RunOptions(environment: "dev"))
        }
        // The query never ends by itself; any bound proves it was stopped (room for a loaded machine).
        #expect(Date().timeIntervalSince(started) < 400, "the query ran on past its timeout")
        let message = error?.run.step("forever")?.message ?? ""
        #expect(message.contains("timed out after 1.0s; its query was interrupted"), "\(message)")
    }

    @Test func aCancelledRunStopsItsQuery() async throws {
        let harness = try Self.harness(timeout: nil)
        try await harness.ingest("id,amount\n1,2\n")
        let interruption = RunInterruption()
        let runner = PipelineRunner(
            workspace: try harness.workspace(), scratch: harness.root.appendingPathComponent(".scratch"),
            interruption: interruption)
        let run = Task { try await runner.run("slow", options: RunOptions(environment: "dev")) }
        try await Task.sleep(for: .seconds(1))
        let stopped = Date()
        interruption.interrupt(because: "the test cancelled it")
        let result = await run.result
        #expect(Date().timeIntervalSince(stopped) < 400, "the query ran on after its run was cancelled")
        guard case .failure(let error) = result, let ended = error as? RunCancelled else {
            Issue.record("the run was not cancelled: \(result)")
            return
        }
        #expect(ended.run.step("forever")?.status == .cancelled, "\(ended.run.steps)")
    }
}
