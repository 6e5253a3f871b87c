import Foundation
import SluiceTestSupport
import Testing

/// Issue 25: a step's SQL on DuckDB reaches nothing but its inputs. It is read by DuckDB from a file and run by
/// `query()`, which runs one SELECT only; before it runs, DuckDB is limited to the step's folder and its input
/// files, extensions cannot be installed or loaded, and its configuration is locked.
@Suite(.enabled(if: DuckDBProgramForTests.available, "needs the duckdb program (scripts/test.sh installs it)"))
struct DuckDBLockdownTests {
    static func project() throws -> CLIProject {
        let project = try CLIProject()
        try project.edit("sluice.yaml") { "sql: { engine: duckdb }\n" + $0 }
        return project
    }

    @Test(arguments: [
        "SELECT * FROM read_csv('/etc/passwd')",
        "SELECT content FROM read_text('%ROOT%/sluice.yaml')",
        "SELECT * FROM glob('%ROOT%/*')",
        "COPY (SELECT 1 AS x) TO '%DROP%/copied.csv'",
        "SELECT 1 AS x;\n.shell touch %DROP%/shell\n",
        "SELECT * FROM raw.orders; ATTACH '%DROP%/attached.db' AS m",
        "SELECT getenv('HOME') AS home",
        "INSTALL httpfs",
        "SELECT * FROM raw.orders');\nCOPY (SELECT 1) TO '%DROP%/escaped.csv';\nSELECT ('",
        "SET enable_external_access = true",
    ])
    func stepSQLReachesNothingButItsInputs(_ sql: String) throws {
        let project = try Self.project()
        let drop = project.folder.appendingPathComponent("drop")
        try FileManager.default.createDirectory(at: drop, withIntermediateDirectories: true)
        chmod(drop.path, 0o777)  // a step run as an unprivileged user could write here, if DuckDB let it
        let hostile = sql.replacingOccurrences(of: "%ROOT%", with: project.folder.path)
            .replacingOccurrences(of: "%DROP%", with: drop.path)
        let run = try project.runCleanOrders(hostile)
        #expect(run.status == 1, "\(run.stdout)\(run.stderr)")
        #expect((run.stdout + run.stderr).contains("DuckDB error in clean_orders.sql"), "\(run.stdout)\(run.stderr)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: drop.path).isEmpty)
    }

    /// A header field that closes a quoted name or a string literal stays the column's name.
    @Test func aHeaderCannotBreakOutOfItsColumnName() throws {
        let project = try Self.project()
        let attack = "x\"'}); COPY (SELECT 1) TO '/tmp/sluice-pwned.csv'; --"
        let header = "\"" + attack.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        try project.addPartnerPipeline(delivering: header + "\n1\n")
        try project.makeTokens()
        let run = try project.run(as: "ci", ["run", "partner", "--env", "dev"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(!FileManager.default.fileExists(atPath: "/tmp/sluice-pwned.csv"))
        let output = try project.run(as: "ci", ["cat", "curated.partner", "--env", "dev"])
        #expect(output.stdout.contains("COPY (SELECT 1)"), "the header is kept as the column's name: \(output.stdout)")
    }
}
