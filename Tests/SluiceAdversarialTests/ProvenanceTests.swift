import Foundation
import SluiceTestSupport
import Testing

/// Issue 10 items 7 and 8: what goes into a protected environment was judged against the contracts, and
/// made by the code, of the commit being promoted; an uncommitted edit cannot certify data for prod.
@Suite struct ProvenanceTests {
    static let orders = "order_id,customer_id,amount,status,ordered_at\n1,1,10.50,paid,2026-11-24T10:00:00Z\n"

    /// Orders that fail the committed contract, ingested into dev under a contract loosened in the work tree
    /// (which is then put back).
    static func devDataFailingTheCommittedContract() throws -> CLIProject {
        let project = try CLIProject(
            ordersCSV: Self.orders + "2,1,-500,stolen,2026-11-24T11:00:00Z\n")
        try project.makeTokens()
        try project.ingestCustomers()
        let original = try project.edit("sluice.yaml") {
            $0.replacingOccurrences(
                of: "amount: { type: decimal, min: 0, max: 10000 }", with: "amount: { type: decimal }"
            )
            .replacingOccurrences(
                of: "in: [new, paid, shipped, cancelled]", with: "in: [new, paid, shipped, cancelled, stolen]")
        }
        let ingest = try project.run(as: "alice", ["ingest", "orders_drop"])
        #expect(ingest.status == 0, "\(ingest.stderr)")
        try project.write("sluice.yaml", original)
        return project
    }

    @Test func aContractLoosenedLocallyCannotCertifyDataForProd() throws {
        let project = try Self.devDataFailingTheCommittedContract()
        let prodBefore = try project.sqlite("SELECT head FROM environments WHERE name = 'prod'")
        let promote = try project.run(as: "ci", ["promote", "--from", "dev", "--to", "prod"])
        #expect(promote.status == 1, "\(promote.stdout)")
        #expect(promote.stderr.contains("raw.orders") && promote.stderr.contains("checked again"), "\(promote.stderr)")
        #expect(try project.sqlite("SELECT head FROM environments WHERE name = 'prod'") == prodBefore)
    }

    @Test func aContractChangedInACommitIsCheckedAgainAndPasses() throws {
        let project = try CLIProject()
        try project.makeTokens()
        try project.ingestCustomers()
        #expect(try project.run(as: "alice", ["ingest", "orders_drop"]).status == 0)
        try project.edit("sluice.yaml") {
            $0.replacingOccurrences(of: "min: 0, max: 10000", with: "min: 0, max: 20000")
        }
        try project.commit("allow larger orders")
        let promote = try project.run(as: "ci", ["promote", "--from", "dev", "--to", "prod"])
        #expect(promote.status == 0, "\(promote.stderr)")
    }

    @Test func outputsOfUncommittedCodeDoNotReachProd() throws {
        let project = try CLIProject()
        try project.makeTokens()
        try project.ingestCustomers()
        #expect(try project.run(as: "alice", ["ingest", "orders_drop"]).status == 0)
        let original = try project.edit("models/clean_orders.sql") {
            $0.replacingOccurrences(of: " status,", with: " 'paid' AS status,")
        }
        let run = try project.run(as: "ci", ["run", "daily", "--env", "dev"])
        #expect(run.status == 0, "\(run.stderr)")
        try project.write("models/clean_orders.sql", original)
        let refused = try project.run(as: "ci", ["promote", "--from", "dev", "--to", "prod"])
        #expect(refused.status == 1, "\(refused.stdout)")
        #expect(
            refused.stderr.contains("staged.orders") && refused.stderr.contains("differs from git commit"),
            "\(refused.stderr)")
        // Rebuilt from the committed code, the same data may go.
        #expect(try project.run(as: "ci", ["run", "daily", "--env", "dev"]).status == 0)
        let promoted = try project.run(as: "ci", ["promote", "--from", "dev", "--to", "prod"])
        #expect(promoted.status == 0, "\(promoted.stderr)")
    }
}
