import Foundation
import SluiceTestSupport
import Testing

/// Issue 10 item 1: hostile text that reaches the SQL engine (a CSV header, a step's own SQL) must never
/// run a second statement, attach a database, or touch a file.
@Suite struct SQLInjectionTests {
    /// A partner's header field closes the quoted column name and attaches the metadata database.
    @Test func aHeaderCannotBreakOutOfItsColumnName() throws {
        let project = try CLIProject()
        let attack =
            "x\" TEXT); ATTACH DATABASE '\(project.database)' AS m; CREATE TABLE m.pwned(x); CREATE TABLE \"y"
        let header = "id," + "\"" + attack.replacingOccurrences(of: "\"", with: "\"\"") + "\""
        try project.addPartnerPipeline(delivering: header + "\n1,a\n")
        try project.makeTokens()
        let run = try project.run(as: "ci", ["run", "partner", "--env", "dev"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(try project.sqlite("SELECT name FROM sqlite_master WHERE name = 'pwned'").isEmpty)
        let output = try project.run(as: "ci", ["cat", "curated.partner", "--env", "dev"])
        #expect(output.stdout.contains("ATTACH DATABASE"), "the header is kept as the column's name: \(output.stdout)")
        #expect(try project.run(["audit", "verify"]).status == 0)
    }

    /// A step's own SQL is held to one SELECT on a locked-down connection: ATTACH (which SQLite counts as
    /// read-only), PRAGMA and extension loading do not even compile.
    @Test(arguments: [
        "ATTACH DATABASE '%DB%' AS m",
        "SELECT load_extension('/tmp/x')",
        "PRAGMA writable_schema = 1",
        "SELECT * FROM raw.orders; ATTACH DATABASE '%DB%' AS m",
    ])
    func stepSQLCannotReachFilesOrOtherDatabases(_ sql: String) throws {
        let project = try CLIProject()
        let run = try project.runCleanOrders(sql.replacingOccurrences(of: "%DB%", with: project.database))
        #expect(run.status == 1, "\(run.stdout)\(run.stderr)")
        let said = run.stdout + run.stderr
        #expect(
            ["must be one SELECT", "Multiple statements", "not authorized"].contains(where: said.contains), "\(said)")
    }

    /// A value holding a line break in any spelling is quoted on the way out of a sql step, so it stays one
    /// field of one row.
    @Test func hostileValuesStayInsideTheirField() throws {
        let project = try CLIProject()
        try project.write(
            "models/clean_orders.sql",
            "SELECT order_id, 'x' || char(13) || char(10) || 'y,\"z' AS note FROM raw.orders\n")
        try project.commit("values with line breaks")
        try project.makeTokens()
        try project.ingestCustomers()
        #expect(try project.run(as: "alice", ["ingest", "orders_drop"]).status == 0)
        let run = try project.run(as: "ci", ["run", "daily", "--env", "dev", "--select", "clean_orders"])
        #expect(run.status == 0, "\(run.stderr)")
        let data = try project.run(as: "alice", ["cat", "staged.orders"]).stdout
        #expect(data == "order_id,note\n1,\"x\r\ny,\"\"z\"\n", "\(data.debugDescription)")
    }
}
