import Foundation
import SluiceCore
import SluiceRunner
import Testing

/// Prod moves only by write-audit-publish: the run works in a fresh staging environment and prod
/// fast-forwards to it once every step and gate passed; a failed run leaves prod alone and keeps staging.
@Suite struct WriteAuditPublishTests {
    @Test func prodIsWrittenOnlyThroughStagingAndPromotion() async throws {
        let harness = try RunnerHarness(files: PipelineRunnerTests.twoStepFiles())
        try await harness.ingest("id,amount\n1,1\n")
        // Prod starts as dev's copy of the raw data.
        _ = try await harness.workspace().promote(from: "dev", to: "prod")
        let prodBefore = try await harness.head("prod")

        // Someone without promote:prod is refused and nothing is created.
        await #expect(throws: AccessDenied.self) {
            try await harness.runner(as: "alice").run("two", options: RunOptions(environment: "prod"))
        }
        #expect(try await harness.head("prod") == prodBefore)

        // The pipeline fails (no ok file): prod unchanged, staging kept with a short lifecycle.
        let error = await #expect(throws: RunFailed.self) {
            try await harness.runner().run("two", options: RunOptions(environment: "prod"))
        }
        let failed = try #require(error?.run)
        #expect(failed.workEnvironment == "staging/\(failed.id)")
        #expect(try await harness.head("prod") == prodBefore)
        let staging = try #require(await harness.metadata.environment(failed.workEnvironment))
        #expect(staging.head == prodBefore)
        let lifecycle = try harness.workspace().project.environmentSpec(for: failed.workEnvironment)?.lifecycle
        #expect(lifecycle?.expireAfterIdle == TimeSpan(seconds: 3 * 86_400))

        // It passes: the outputs land in a new staging environment, and prod fast-forwards to it.
        try harness.write("flags/ok", "")
        let run = try await harness.runner().run("two", options: RunOptions(environment: "prod"))
        #expect(run.status == .succeeded && run.environment == "prod" && run.workEnvironment.hasPrefix("staging/"))
        let prodAfter = try #require(try await harness.head("prod"))
        #expect(prodAfter == run.commit)
        #expect(try await harness.head(run.workEnvironment) == nil, "a published staging environment goes")
        #expect(try await harness.read("curated.orders", in: "prod") == "id,amount\n1,2.0\n")
        #expect(try await harness.read("curated.orders", in: "dev") == "")
        let moves = await harness.metadata.environmentHistory("prod")
        #expect(moves.first?.reason == "promote from \(run.workEnvironment)")

        // Issue 22 item 10: a run whose outputs are what prod holds lands nothing, and its staging goes too.
        let unchanged = try await harness.runner().run("two", options: RunOptions(environment: "prod", useCache: false))
        #expect(unchanged.status == .succeeded && unchanged.message?.contains("outputs unchanged") == true)
        #expect(await harness.metadata.environment(unchanged.workEnvironment) == nil, "nothing to publish: it goes")
        #expect(await harness.metadata.environment(failed.workEnvironment) != nil, "a failed run's stays")
    }
}
