import Foundation
import SluiceCore
import SluiceQuality
import SluiceRunner
import SluiceStore
import SluiceTestSupport
import Testing

/// Issue 25: a DuckDB step is stopped by its timeout and its run's cancellation as a command step is, a step
/// test can pin an engine, the cache key names the engine, and the project file's `sql:` is checked.
@Suite struct DuckDBStepTests {
    static func harness(
        sql: String, step extra: String = "", project: String = "sql: { engine: duckdb }\n"
    ) throws
        -> RunnerHarness
    {
        let pipeline = """
              p:
                steps:
                  s:
                    sql: models/s.sql
                    inputs: [raw.orders]
                    output: staged.h
            """ + extra
        return try RunnerHarness(files: [
            "sluice.yaml": project
                + RunnerHarness.yaml(pipeline: pipeline, datasets: PipelineRunnerTests.datasets(["staged.h"])),
            "models/s.sql": sql,
        ])
    }

    @Test(.enabled(if: DuckDBProgramForTests.available, "needs the duckdb program"))
    func aTimedOutQueryIsKilled() async throws {
        let harness = try Self.harness(
            sql: "SELECT count(*) AS n FROM range(1000000000000) a\n", step: "\n        timeout: 1s")
        try await harness.ingest("id,amount\n1,2\n")
        let started = Date()
        let error = await #expect(throws: RunFailed.self) {
            try await harness.runner().run("p", options: RunOptions(environment: "dev"))
        }
        #expect(Date().timeIntervalSince(started) < 400, "the query ran on past its timeout")
        let message = error?.run.step("s")?.message ?? ""
        #expect(message.contains("timed out after 1.0s"), "\(message)")
    }

    @Test(.enabled(if: DuckDBProgramForTests.available, "needs the duckdb program"))
    func aStepTestPinsItsEngine() async throws {
        // Integer division is where the dialects differ: SQLite says 3, DuckDB 3.5.
        let tests = """

                    tests:
                      - { name: on-duckdb, engine: duckdb, inputs: { raw.orders: t/in.csv }, expect: { staged.h: t/duck.csv } }
                      - { name: on-sqlite, engine: sqlite, inputs: { raw.orders: t/in.csv }, expect: { staged.h: t/lite.csv } }
                      - { name: unpinned, inputs: { raw.orders: t/in.csv }, expect: { staged.h: t/duck.csv } }
            """
        let harness = try Self.harness(sql: "SELECT id, 7 / 2 AS half FROM raw.orders\n", step: tests)
        try harness.write("t/in.csv", "id,amount\n1,2\n")
        try harness.write("t/duck.csv", "id,half\n1,3.5\n")
        try harness.write("t/lite.csv", "id,half\n1,3\n")
        let results = try await StepTester(runner: harness.runner()).run()
        #expect(results.map(\.test) == ["on-duckdb", "on-sqlite", "unpinned"])
        let said = results.map { "\($0.test): \($0.message ?? "passed")" }
        #expect(results.allSatisfy { $0.passed }, "\(said)")
    }

    @Test(.enabled(if: DuckDBProgramForTests.available, "needs the duckdb program"))
    func aColumnNameSQLCannotHoldFailsTheStep() async throws {
        let pipeline = """
              p:
                steps:
                  deliver: { command: [sh, -c, 'printf "id,\\n1,2\\n" > "$SLUICE_OUTPUT_STAGED_IN"'], output: staged.in }
                  s: { sql: models/s.sql, engine: duckdb, inputs: [staged.in], output: staged.h }
            """
        let harness = try RunnerHarness(files: [
            "sluice.yaml": RunnerHarness.yaml(
                pipeline: pipeline, datasets: PipelineRunnerTests.datasets(["staged.in", "staged.h"])),
            "models/s.sql": "SELECT * FROM staged.in\n",
        ])
        let error = await #expect(throws: RunFailed.self) {
            try await harness.runner().run("p", options: RunOptions(environment: "dev"))
        }
        let message = error?.run.step("s")?.message ?? "\(error?.run.steps ?? [])"
        #expect(message.contains("staged.in has a column name SQL cannot hold"), "\(message)")
    }

    @Test func missingProgramFailsTheStepNamingTheFix() async throws {
        let harness = try Self.harness(sql: "SELECT 1 AS x\n", project: "sql: { engine: duckdb }\n")
        try await harness.ingest("id,amount\n1,2\n")
        let executor = LocalStepExecutor(stepUser: nil, environment: ["SLUICE_DUCKDB": "/nonexistent/duckdb"])
        let error = await #expect(throws: RunFailed.self) {
            try await harness.runner(executor: executor).run("p", options: RunOptions(environment: "dev"))
        }
        let message = error?.run.step("s")?.message ?? ""
        #expect(message.contains("SLUICE_DUCKDB is \"/nonexistent/duckdb\""), "\(message)")
        let none = LocalStepExecutor(stepUser: nil, environment: ["PATH": "/nonexistent"])
        let again = await #expect(throws: RunFailed.self) {
            try await harness.runner(executor: none).run("p", options: RunOptions(environment: "dev"))
        }
        #expect(again?.run.step("s")?.message?.contains("pip install duckdb-cli") == true, "\(again?.run.steps ?? [])")
    }

    @Test func theCacheKeyNamesTheEngine() throws {
        let harness = try Self.harness(sql: "SELECT 1 AS x\n", project: "")
        var step = Step(
            name: "s", kind: .sql(file: "models/s.sql"), location: SourceLocation(file: "x", line: 1, column: 1))
        let key = { (step: Step) in
            try CacheKey.compute(step: step, root: harness.root, inputs: [:], files: LocalFileSource())
        }
        let onSQLite = try key(step)
        step.sqlEngine = .duckdb
        #expect(try key(step) != onSQLite)
    }

    @Test(arguments: [
        ("sql: { engine: postgres }\n", "sql engine \"postgres\" is not an engine (engines: sqlite, duckdb)"),
        ("sql: { duckdb: { memory_limit: lots } }\n", "memory_limit \"lots\" must be a size"),
        ("sql: { duckdb: { threads: 0 } }\n", "threads must be at least 1"),
        ("sql: { duckdb: { thread: 2 } }\n", "unknown key \"thread\" in sql duckdb; did you mean threads?"),
    ])
    func theProjectsSQLSettingsAreChecked(_ yaml: String, _ said: String) throws {
        let harness = try Self.harness(sql: "SELECT 1 AS x\n", project: yaml)
        let loaded = try ProjectLoader(files: LocalFileSource()).load(root: harness.root)
        let messages = loaded.1.map(\.message)
        #expect(messages.contains { $0.contains(said) }, "\(messages)")
    }

    @Test func engineIsForSQLStepsOnly() throws {
        let pipeline = "  p:\n    steps:\n      c: { command: [true], engine: duckdb }\n"
        let harness = try RunnerHarness(files: ["sluice.yaml": RunnerHarness.yaml(pipeline: pipeline)])
        let loaded = try ProjectLoader(files: LocalFileSource()).load(root: harness.root)
        #expect(loaded.1.contains { $0.message.contains("engine applies to sql steps") })
        let own = try Self.harness(sql: "SELECT 1 AS x\n", step: "\n        engine: sqlite")
        let pinned = try ProjectLoader(files: LocalFileSource()).loadValidated(root: own.root).project
        #expect(pinned.pipelines["p"]?.steps.first?.sqlEngine == .sqlite, "a step's own engine wins over the project's")
    }
}
