import Foundation
import SluiceCore
import SluiceRunner
import SluiceTestSupport
import Testing

/// Issue 25: `engine: duckdb` gives the rows the embedded engine gives, on generated data of every column type
/// with NULLs, unicode and every accepted spelling; and records what it ran on.
@Suite(.enabled(if: DuckDBProgramForTests.available, "needs the duckdb program (scripts/test.sh installs it)"))
struct DuckDBEngineTests {
    static let itemColumns = """
            columns:
              id: { type: int }
              customer: { type: int }
              amount: { type: decimal, scale: 2 }
              weight: { type: decimal }
              ok: { type: bool }
              day: { type: date }
              shipped: { type: date }
              ts: { type: timestamp }
              note: { type: string }
        """

    static let steps: [String: (sql: String, output: String)] = [
        "everything": ("SELECT * FROM raw.items ORDER BY id", itemColumns),
        "joined": (
            """
            SELECT c.id, c.name, c.region, count(i.id) AS n, sum(i.amount) AS total, min(i.day) AS first_day,
                   max(i.ts) AS last_ts, max(i.shipped) AS last_shipped, sum(CASE WHEN i.ok THEN 1 ELSE 0 END) AS oks,
                   max(i.note) AS note, min(i.weight) AS lightest
            FROM raw.customers c LEFT JOIN raw.items i ON i.customer = c.id
            GROUP BY c.id, c.name, c.region
            ORDER BY c.id
            """,
            """
                columns:
                  id: { type: int }
                  name: { type: string }
                  region: { type: string }
                  n: { type: int }
                  total: { type: decimal, scale: 2 }
                  first_day: { type: date }
                  last_ts: { type: timestamp }
                  last_shipped: { type: date }
                  oks: { type: int }
                  lightest: { type: decimal }
                  note: { type: string }
            """
        ),
        "undeclared": (
            "SELECT id, weight * 2 AS w2, amount AS a, ok AS b, ts AS t, day AS d, note FROM raw.items WHERE id <= 60 ORDER BY id",
            ""
        ),
    ]

    /// Runs the pipeline on one engine; returns each output as `sluice cat` prints it, and the harness.
    static func outputs(_ engine: SQLEngine, seed: UInt64) async throws -> ([String: String], RunnerHarness) {
        let harness = try RunnerHarness(
            files: TwoEngineProject.files(engine: engine, seed: seed, rows: 400, steps: steps))
        for source in ["items", "customers"] {
            _ = try await harness.workspace().ingest(source: source, environment: "dev")
        }
        let run = try await harness.runner().run("q", options: RunOptions(environment: "dev"))
        #expect(run.status == .succeeded, "\(engine): \(run.steps.map { "\($0.step): \($0.message ?? "")" })")
        var outputs: [String: String] = [:]
        for name in steps.keys { outputs[name] = try await harness.read("staged.\(name)") }
        return (outputs, harness)
    }

    @Test(arguments: [UInt64(1), 2, 3])
    func bothEnginesGiveTheSameBytes(seed: UInt64) async throws {
        let (embedded, _) = try await Self.outputs(.sqlite, seed: seed)
        let (duckdb, _) = try await Self.outputs(.duckdb, seed: seed)
        for name in Self.steps.keys.sorted() {
            let (left, right) = (embedded[name] ?? "", duckdb[name] ?? "")
            #expect(left.split(separator: "\n").count > 5, "\(name) made too few rows to compare")
            if left != right {
                let difference = zip(left.split(separator: "\n"), right.split(separator: "\n")).first { $0 != $1 }
                Issue.record("seed \(seed), \(name): sqlite \(difference?.0 ?? "") ≠ duckdb \(difference?.1 ?? "")")
            }
        }
    }

    @Test func aDuckDBOutputIsReproducedByteForByte() async throws {
        let (_, harness) = try await Self.outputs(.duckdb, seed: 4)
        let before = try await harness.head()
        let result = try await Reproducer(runner: harness.runner()).reproduce("staged.joined", in: "dev")
        #expect(result.matches, "\(result.steps)")
        #expect(result.steps.map(\.step) == ["joined"])
        #expect(try await harness.head() == before, "nothing lands")
    }

    @Test func theLineageAndTheAttemptNameTheEngineAndItsVersion() async throws {
        let (_, harness) = try await Self.outputs(.duckdb, seed: 9)
        let run = try #require(await harness.metadata.runs(pipeline: "q").first)
        let step = try #require(run.step("joined"))
        let engine = try #require(step.attempts.last?.engine)
        #expect(engine.hasPrefix("duckdb v"))
        let version = try #require(step.outputs["staged.joined"])
        let lineage = try #require(await harness.metadata.lineage(of: version))
        #expect(lineage.sqlEngine == engine)
    }
}
