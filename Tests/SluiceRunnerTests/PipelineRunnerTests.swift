import Foundation
import SluiceCore
import SluiceRunner
import SluiceStore
import Testing

/// Records when each step starts and ends and how many run at once; writes a one-row output per step.
final class RecordingExecutor: StepExecutor, @unchecked Sendable {
    private let lock = NSLock()
    private var running = 0
    private(set) var peak = 0
    private(set) var events: [String] = []

    func execute(_ job: StepJob) async throws -> StepExecution {
        lock.withLock {
            running += 1
            peak = max(peak, running)
            events.append("start \(job.step.name)")
        }
        try await Task.sleep(for: .milliseconds(15))
        for url in job.outputs.values { try Data("x\n\(job.step.name)\n".utf8).write(to: url) }
        lock.withLock {
            running -= 1
            events.append("end \(job.step.name)")
        }
        return StepExecution(exitCode: 0, failure: nil)
    }

    func position(_ event: String) -> Int { lock.withLock { events.firstIndex(of: event) ?? -1 } }
}

@Suite struct PipelineRunnerTests {
    static func datasets(_ names: [String]) -> String {
        names.map { "  \($0): { owner: t, classification: internal }" }.joined(separator: "\n")
    }

    @Test func diamondRunsInDependencyOrder() async throws {
        let pipeline = """
              d:
                steps:
                  a: { command: [x], inputs: [raw.orders], output: staged.a }
                  b: { command: [x], inputs: [staged.a], output: staged.b }
                  c: { command: [x], inputs: [staged.a], output: staged.c }
                  e: { command: [x], inputs: [staged.b, staged.c], output: curated.e }
            """
        let harness = try RunnerHarness(files: [
            "sluice.yaml": RunnerHarness.yaml(
                pipeline: pipeline, datasets: Self.datasets(["staged.a", "staged.b", "staged.c", "curated.e"]))
        ])
        try await harness.ingest("id,amount\n1,2\n")
        let executor = RecordingExecutor()
        let run = try await harness.runner(executor: executor).run(
            "d", options: RunOptions(environment: "dev", maxParallel: 4))
        #expect(run.status == .succeeded)
        #expect(executor.position("end a") < executor.position("start b"))
        #expect(executor.position("end a") < executor.position("start c"))
        #expect(executor.position("end b") < executor.position("start e"))
        #expect(executor.position("end c") < executor.position("start e"))
        #expect(executor.peak == 2, "b and c run together")
        #expect(try await harness.read("curated.e") == "x\ne\n")
    }

    @Test(arguments: [1, 3])
    func wideGraphHoldsTheParallelismBound(_ bound: Int) async throws {
        var steps = "      root: { command: [x], inputs: [raw.orders], output: staged.root }\n"
        var names = ["staged.root", "curated.sink"]
        for index in 0..<12 {
            steps += "      w\(index): { command: [x], inputs: [staged.root], output: staged.w\(index) }\n"
            names.append("staged.w\(index)")
        }
        steps +=
            "      sink: { command: [x], inputs: [\((0..<12).map { "staged.w\($0)" }.joined(separator: ", "))], output: curated.sink }\n"
        let harness = try RunnerHarness(files: [
            "sluice.yaml": RunnerHarness.yaml(pipeline: "  wide:\n    steps:\n" + steps, datasets: Self.datasets(names))
        ])
        try await harness.ingest("id,amount\n1,2\n")
        let executor = RecordingExecutor()
        let run = try await harness.runner(executor: executor).run(
            "wide", options: RunOptions(environment: "dev", maxParallel: bound))
        #expect(run.status == .succeeded)
        #expect(executor.peak == bound)
        #expect(executor.position("end root") < executor.position("start w0"))
        for index in 0..<12 { #expect(executor.position("end w\(index)") < executor.position("start sink")) }
    }

    static let retrying = """
          r:
            steps:
              flaky:
                command: [sh, -c, 'echo "attempt $SLUICE_ATTEMPT"; [ "$SLUICE_ATTEMPT" -ge 3 ] || exit 7; printf "id\\n1\\n" > "$SLUICE_OUTPUT_STAGED_F"']
                inputs: [raw.orders]
                output: staged.f
                retries: { attempts: ATTEMPTS, backoff: 2s, max_backoff: 3s }
        """

    @Test func retriesSucceedOnALaterAttemptWithGrowingBackoff() async throws {
        let harness = try RunnerHarness(files: [
            "sluice.yaml": RunnerHarness.yaml(
                pipeline: Self.retrying.replacingOccurrences(of: "ATTEMPTS", with: "4"),
                datasets: Self.datasets(["staged.f"]))
        ])
        try await harness.ingest("id,amount\n1,2\n")
        let run = try await harness.runner().run("r", options: RunOptions(environment: "dev"))
        let step = try #require(run.step("flaky"))
        #expect(step.status == .succeeded)
        #expect(step.attempts.map(\.exitCode) == [7, 7, 0])
        // 2 s, then 4 s capped at 3 s; jitter fixed at 0.75 of the delay.
        #expect(harness.delays == [.milliseconds(1500), .milliseconds(2250)])
        let logs = try await harness.workspace().attemptLogs(run: run.id, step: "flaky")
        #expect(logs.map(\.stdout) == ["attempt 1\n", "attempt 2\n", "attempt 3\n"])
    }

    @Test func retriesThatRunOutFailTheRun() async throws {
        let harness = try RunnerHarness(files: [
            "sluice.yaml": RunnerHarness.yaml(
                pipeline: Self.retrying.replacingOccurrences(of: "ATTEMPTS", with: "2"),
                datasets: Self.datasets(["staged.f"]))
        ])
        try await harness.ingest("id,amount\n1,2\n")
        let before = try await harness.head()
        let error = await #expect(throws: RunFailed.self) {
            try await harness.runner().run("r", options: RunOptions(environment: "dev"))
        }
        let step = try #require(error?.run.step("flaky"))
        #expect(step.status == .failed)
        #expect(step.attempts.count == 2)
        #expect(step.message?.contains("exited with status 7 (after 2 attempts)") == true)
        #expect(try await harness.head() == before)
    }

    @Test func aTimeoutKillsTheWholeProcessTree() async throws {
        let pipeline = """
              slow:
                steps:
                  hang:
                    command: [sh, -c, 'sleep 900 & echo $! > "$1/child.pid"; sleep 900', sh, drop/]
                    inputs: [raw.orders]
                    output: staged.h
                    timeout: 1s
            """
        let harness = try RunnerHarness(files: [
            "sluice.yaml": RunnerHarness.yaml(pipeline: pipeline, datasets: Self.datasets(["staged.h"]))
        ])
        try await harness.ingest("id,amount\n1,2\n")
        let started = Date()
        let error = await #expect(throws: RunFailed.self) {
            try await harness.runner().run("slow", options: RunOptions(environment: "dev"))
        }
        #expect(
            Date().timeIntervalSince(started) < 400, "below the 900 s the tree would sleep; room for a busy machine")
        #expect(error?.run.step("hang")?.message?.contains("timed out") == true)
        let pidText = try String(contentsOf: harness.dropFolder.appendingPathComponent("child.pid"), encoding: .utf8)
        let pid = try #require(Int32(pidText.trimmingCharacters(in: .whitespacesAndNewlines)))
        // The background child is gone (or a zombie waiting for init), not sleeping on.
        var alive = true
        for _ in 0..<50 {
            let state = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8))?.split(separator: " ")
            if state == nil || state?[2] == "Z" {
                alive = false
                break
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(!alive, "child \(pid) survived the timeout")
    }

    static let twoSteps = """
          two:
            steps:
              clean: { sql: models/clean.sql, inputs: [raw.orders], output: staged.orders }
              check:
                command: [sh, -c, 'test -f "$1" || exit 3; cp "$SLUICE_INPUT_STAGED_ORDERS" "$SLUICE_OUTPUT_CURATED_ORDERS"', sh, flags/ok]
                inputs: [staged.orders]
                output: curated.orders
        """

    static func twoStepFiles() -> [String: String] {
        [
            "sluice.yaml": RunnerHarness.yaml(
                pipeline: twoSteps,
                datasets: """
                      staged.orders:
                        owner: t
                        classification: internal
                        columns:
                          id: { type: int, required: true }
                          amount: { type: decimal, min: 0 }
                      curated.orders: { owner: t, classification: internal }
                    """),
            "models/clean.sql":
                "SELECT id, amount * 2 AS amount FROM raw.orders WHERE amount IS NOT NULL ORDER BY id\n",
        ]
    }

    @Test func aFailedRunChangesNothingAndResumeFinishesIt() async throws {
        let harness = try RunnerHarness(files: Self.twoStepFiles())
        try await harness.ingest("id,amount\n2,1.5\n1,3\n3,\n")
        let before = try await harness.head()
        let error = await #expect(throws: RunFailed.self) {
            try await harness.runner().run("two", options: RunOptions(environment: "dev"))
        }
        let failed = try #require(error?.run)
        #expect(failed.step("clean")?.status == .succeeded)
        #expect(failed.step("check")?.status == .failed)
        #expect(try await harness.head() == before)
        #expect(try await harness.read("staged.orders") == "")

        try harness.write("flags/ok", "")
        let resumed = try await harness.runner().run("two", options: RunOptions(environment: "dev", resume: failed.id))
        #expect(resumed.step("clean")?.status == .resumed)
        #expect(resumed.step("check")?.status == .succeeded)
        #expect(resumed.status == .succeeded)
        #expect(try await harness.read("staged.orders") == "id,amount\n1,6.0\n2,3.0\n")
        #expect(try await harness.read("curated.orders") == "id,amount\n1,6.0\n2,3.0\n")
    }

    @Test func cacheHitsAndMisses() async throws {
        let harness = try RunnerHarness(files: Self.twoStepFiles())
        try harness.write("flags/ok", "")
        try await harness.ingest("id,amount\n1,1\n")
        let options = RunOptions(environment: "dev")
        let first = try await harness.runner().run("two", options: options)
        #expect(first.steps.map(\.status) == [.succeeded, .succeeded])
        let second = try await harness.runner().run("two", options: options)
        #expect(second.steps.map(\.status) == [.cached, .cached])
        #expect(second.commit == first.commit, "nothing changed, so the environment did not move")
        let forced = try await harness.runner().run("two", options: RunOptions(environment: "dev", useCache: false))
        #expect(forced.steps.map(\.status) == [.succeeded, .succeeded])

        // A new input version: both steps run again.
        try await harness.ingest("id,amount\n1,1\n2,2\n")
        let newInput = try await harness.runner().run("two", options: options)
        #expect(newInput.steps.map(\.status) == [.succeeded, .succeeded])

        // A changed SQL file whose result is the same: clean runs, check is cached (same input version).
        try harness.write(
            "models/clean.sql",
            "SELECT id, amount + amount AS amount FROM raw.orders WHERE amount IS NOT NULL ORDER BY id\n")
        let newFile = try await harness.runner().run("two", options: options)
        #expect(newFile.steps.map(\.status) == [.succeeded, .cached])

        // A changed step definition.
        var files = Self.twoStepFiles()
        files["sluice.yaml"] = files["sluice.yaml"]!.replacingOccurrences(of: "|| exit 3;", with: "|| exit 4;")
        try harness.write("sluice.yaml", files["sluice.yaml"]!)
        let newDefinition = try await harness.runner().run("two", options: options)
        #expect(newDefinition.steps.map(\.status) == [.cached, .succeeded])
    }

    @Test func anOutputThatFailsItsContractFailsTheStep() async throws {
        let harness = try RunnerHarness(files: Self.twoStepFiles())
        try harness.write("flags/ok", "")
        try await harness.ingest("id,amount\n1,-5\n")
        let before = try await harness.head()
        let error = await #expect(throws: RunFailed.self) {
            try await harness.runner().run("two", options: RunOptions(environment: "dev"))
        }
        #expect(error?.run.step("clean")?.status == .failed)
        #expect(error?.run.step("clean")?.message?.contains("amount.min") == true)
        #expect(error?.run.step("check")?.status == .skipped)
        #expect(try await harness.head() == before)
    }

    @Test func stepsWithoutOutputsRunInTheOrderAfterGives() async throws {
        let pipeline = """
              ops:
                steps:
                  build: { command: [x], inputs: [raw.orders], output: staged.b }
                  notify: { command: [x], after: [build] }
                  audit: { command: [x], after: [notify] }
            """
        let harness = try RunnerHarness(files: [
            "sluice.yaml": RunnerHarness.yaml(pipeline: pipeline, datasets: Self.datasets(["staged.b"]))
        ])
        try await harness.ingest("id,amount\n1,2\n")
        let executor = RecordingExecutor()
        let run = try await harness.runner(executor: executor).run("ops", options: RunOptions(environment: "dev"))
        #expect(run.status == .succeeded)
        #expect(executor.position("end build") < executor.position("start notify"))
        #expect(executor.position("end notify") < executor.position("start audit"))
        // Steps with no output are never cached: they run for their effect.
        let again = try await harness.runner(executor: executor).run("ops", options: RunOptions(environment: "dev"))
        #expect(again.steps.map(\.status) == [.cached, .succeeded, .succeeded])
    }

    @Test func afterMustNameAStepAndMustNotLoop() throws {
        let unknown = try RunnerHarness(files: [
            "sluice.yaml": RunnerHarness.yaml(pipeline: "  p:\n    steps:\n      a: { command: [x], after: [nope] }\n")
        ])
        let (_, unknownDiagnostics) = try ProjectLoader(files: LocalFileSource()).load(root: unknown.root)
        #expect(unknownDiagnostics.contains { $0.severity == .error && $0.message.contains("runs after \"nope\"") })
        let loop = try RunnerHarness(files: [
            "sluice.yaml": RunnerHarness.yaml(
                pipeline:
                    "  p:\n    steps:\n      a: { command: [x], after: [b] }\n      b: { command: [x], after: [a] }\n")
        ])
        let (_, loopDiagnostics) = try ProjectLoader(files: LocalFileSource()).load(root: loop.root)
        #expect(loopDiagnostics.contains { $0.severity == .error && $0.message.contains("has a cycle") })
    }

    @Test func aBackgroundChildDoesNotKeepAFinishedStepOpen() async throws {
        let pipeline = """
              bg:
                steps:
                  leave: { command: [sh, -c, 'sleep 900 & echo $! > "$1/child.pid"; echo started; echo oops >&2', sh, drop/] }
            """
        let harness = try RunnerHarness(files: ["sluice.yaml": RunnerHarness.yaml(pipeline: pipeline)])
        let started = Date()
        let run = try await harness.runner().run("bg", options: RunOptions(environment: "dev"))
        // Far below the child's 900 s, with room for a machine whose test tasks wait minutes for a thread.
        #expect(Date().timeIntervalSince(started) < 400, "the step waited for its background child")
        let pid = try #require(
            Int32(
                try String(contentsOf: harness.dropFolder.appendingPathComponent("child.pid"), encoding: .utf8)
                    .trimmingCharacters(in: .whitespacesAndNewlines)))
        let state = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8))?.split(separator: " ")
        #expect(state == nil || state?[2] == "Z", "the background child outlived its step")
        #expect(run.status == .succeeded)
        let logs = try await harness.workspace().attemptLogs(run: run.id, step: "leave")
        #expect(logs.map(\.stdout) == ["started\n"] && logs.map(\.stderr) == ["oops\n"])
    }

    @Test func anEnvironmentThatMovedDuringTheRunIsAConflictAndKeepsItsNewHead() async throws {
        let harness = try RunnerHarness(files: Self.twoStepFiles())
        try harness.write("flags/ok", "")
        try await harness.ingest("id,amount\n1,1\n")
        // Just before the run lands, someone else ingests into dev.
        let workspace = try harness.workspace(checkpoint: { point in
            guard point == "run.land" else { return }
            try? await harness.ingest("id,amount\n1,1\n2,2\n")
        })
        let runner = PipelineRunner(
            workspace: workspace, scratch: harness.root.appendingPathComponent(".scratch"), sleep: { _ in })
        let error = await #expect(throws: ConflictError.self) {
            try await runner.run("two", options: RunOptions(environment: "dev"))
        }
        #expect(error?.status == .conflict)
        #expect(try await harness.read("raw.orders") == "id,amount\n1,1\n2,2\n", "the other writer's work stands")
        #expect(try await harness.read("curated.orders") == "", "nothing of the run landed")
        let run = try #require(await harness.metadata.runs(pipeline: "two").first)
        #expect(run.status == .failed)
    }
}
