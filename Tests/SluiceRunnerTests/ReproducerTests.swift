import Foundation
import SluiceCore
import SluiceRunner
import Testing

/// `reproduce` re-runs the recorded step runs with no cache and compares bytes.
@Suite struct ReproducerTests {
    static func files(noisy: Bool) -> [String: String] {
        var files = PipelineRunnerTests.twoStepFiles()
        if noisy {
            // The check step appends the time in nanoseconds: different bytes on every run.
            files["sluice.yaml"] = files["sluice.yaml"]!.replacingOccurrences(
                of: #"cp "$SLUICE_INPUT_STAGED_ORDERS" "$SLUICE_OUTPUT_CURATED_ORDERS""#,
                with:
                    #"{ cat "$SLUICE_INPUT_STAGED_ORDERS"; echo "$(date +%s%N),0"; } > "$SLUICE_OUTPUT_CURATED_ORDERS""#
            )
        }
        return files
    }

    @Test func aDeterministicPipelineReproducesByteForByte() async throws {
        let harness = try RunnerHarness(files: Self.files(noisy: false))
        try harness.write("flags/ok", "")
        try await harness.ingest("id,amount\n1,1\n2,5\n")
        _ = try await harness.runner().run("two", options: RunOptions(environment: "dev"))
        let before = try await harness.head()
        let result = try await Reproducer(runner: harness.runner()).reproduce("curated.orders", in: "dev")
        #expect(result.matches)
        #expect(result.steps.map(\.step) == ["clean", "check"])
        #expect(result.steps.allSatisfy { $0.matches && $0.reproduced == $0.recorded })
        #expect(try await harness.head() == before, "nothing lands")
    }

    @Test func aNondeterministicStepIsNamed() async throws {
        let harness = try RunnerHarness(files: Self.files(noisy: true))
        try harness.write("flags/ok", "")
        try await harness.ingest("id,amount\n1,1\n")
        _ = try await harness.runner().run("two", options: RunOptions(environment: "dev"))
        let result = try await Reproducer(runner: harness.runner()).reproduce("curated.orders", in: "dev")
        #expect(!result.matches)
        #expect(result.firstDifference == "two.check")
        #expect(result.steps.map(\.matches) == [true, false])
    }

    @Test func changedCodeAndIngestedDataAreRefusedWithAReason() async throws {
        let harness = try RunnerHarness(files: Self.files(noisy: false))
        try harness.write("flags/ok", "")
        try await harness.ingest("id,amount\n1,1\n")
        _ = try await harness.runner().run("two", options: RunOptions(environment: "dev"))
        await #expect(throws: UsageError.self) {
            try await Reproducer(runner: harness.runner()).reproduce("raw.orders", in: "dev")
        }
        try harness.write("models/clean.sql", "SELECT id, amount FROM raw.orders\n")
        let error = await #expect(throws: FailureError.self) {
            try await Reproducer(runner: harness.runner()).reproduce("curated.orders", in: "dev")
        }
        #expect(error?.message.contains("two.clean or a file it names changed") == true)
    }
}
