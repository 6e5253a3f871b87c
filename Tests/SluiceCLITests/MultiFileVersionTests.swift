import Foundation
import SluiceTestSupport
import Testing

/// Issue 11 item 1: a version of several files, one without a final line break, reads back as the rows it
/// holds (in cat, in step inputs and in references), never with two rows glued together.
@Suite struct MultiFileVersionTests {
    @Test func aFileWithoutAFinalLineBreakDoesNotGlueRows() throws {
        let project = try CLIProject(
            ordersCSV: "order_id,customer_id,amount,status,ordered_at\n1,1,10.50,paid,2026-11-24T10:00:00Z")
        try project.write(
            "landing/orders/2026-11-25.csv",
            "order_id,customer_id,amount,status,ordered_at\n2,2,5,new,2026-11-25T10:00:00Z\n")
        try project.write(
            "landing/customers/more.csv",
            "customer_id,name,email,country,signed_up_at\n2,Bo,b@b.c,SE,2026-01-01T00:00:00Z")
        try project.makeTokens()
        try project.ingestCustomers()
        let ingest = try project.run(as: "alice", ["ingest", "orders_drop"])
        #expect(ingest.status == 0, "the second order's customer is in the other file: \(ingest.stderr)")
        let data = try project.run(as: "alice", ["cat", "raw.orders"]).stdout
        #expect(
            data
                == "order_id,customer_id,amount,status,ordered_at\n1,1,10.50,paid,2026-11-24T10:00:00Z\n2,2,5,new,2026-11-25T10:00:00Z\n",
            "\(data.debugDescription)")
        let run = try project.run(as: "ci", ["run", "daily", "--select", "clean_orders", "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let staged = try project.run(as: "alice", ["cat", "staged.orders"]).stdout
        #expect(staged.split(separator: "\n").count == 3, "\(staged.debugDescription)")
    }
}

/// Issue 22 item 1: the files of one delivery with their columns in different orders are one table, read
/// by name: they land in the first file's column order (each field's bytes as written), and a file with
/// other columns refuses the batch.
@Suite struct ReorderedColumnsTests {
    static let header = "order_id,customer_id,amount,status,ordered_at\n"

    @Test func filesWithReorderedColumnsLandAlignedByName() throws {
        let project = try CLIProject(
            ordersCSV: Self.header + "1,1,10.50,paid,2026-11-24T10:00:00Z\n", customerIDs: [1, 2])
        // Another order of the same columns, CRLF line endings, a quoted field holding the delimiter.
        try project.write(
            "landing/orders/2026-11-25.csv",
            "status,amount,ordered_at,order_id,customer_id\r\n\"shipped, late\",20.00,2026-11-25T10:00:00Z,2,2\r\n"
                + "new,3.25,2026-11-25T11:00:00Z,3,1\r\n")
        try project.edit("sluice.yaml") {
            $0.replacingOccurrences(
                of: "in: [new, paid, shipped, cancelled]",
                with: "in: [new, paid, shipped, cancelled, \"shipped, late\"]")
        }
        try project.commit("a status with a comma")
        try project.makeTokens()
        try project.ingestCustomers()
        let ingest = try project.run(as: "alice", ["ingest", "orders_drop"])
        #expect(ingest.status == 0, "\(ingest.stderr)")
        let data = try project.run(as: "alice", ["cat", "raw.orders"]).stdout
        #expect(
            data
                == Self.header + "1,1,10.50,paid,2026-11-24T10:00:00Z\n"
                + "2,2,20.00,\"shipped, late\",2026-11-25T10:00:00Z\r\n3,1,3.25,new,2026-11-25T11:00:00Z\r\n",
            "\(data.debugDescription)")
        #expect(try project.run(as: "ci", ["run", "daily", "--env", "dev"]).status == 0)
        // Revenue per country from the delivered rows, by column name: every customer is in GB.
        let revenue = try project.run(as: "alice", ["cat", "curated.revenue_by_country"]).stdout
        #expect(revenue.contains("GB,33.75,3"), "\(revenue)")
    }

    @Test func aFileWithOtherColumnsRefusesTheBatch() throws {
        let project = try CLIProject()
        try project.write(
            "landing/orders/2026-11-25.csv", "order_id,customer_id,amount_cents,status,ordered_at\n2,1,500,new,x\n")
        try project.makeTokens()
        try project.ingestCustomers()
        let ingest = try project.run(as: "alice", ["ingest", "orders_drop"])
        #expect(ingest.status == 1, "\(ingest.stdout)")
        #expect(
            ingest.stderr.contains("2026-11-25.csv does not have the columns of")
                && ingest.stderr.contains("missing amount") && ingest.stderr.contains("extra amount_cents"),
            "\(ingest.stderr)")
        #expect(try project.run(as: "alice", ["cat", "raw.orders"]).status != 0, "nothing landed")
    }
}

/// Issue 22 item 3: `references` hold between the versions that stand together. Re-ingesting the referenced
/// dataset without a customer that orders name warns in dev, and the promotion refuses, naming the check,
/// the rows and both datasets.
@Suite struct ReferencesOverTimeTests {
    @Test func aShrunkReferencedDatasetWarnsAndIsNotPromoted() throws {
        let project = try CLIProject(
            ordersCSV: ReorderedColumnsTests.header
                + "1,1,10.50,paid,2026-11-24T10:00:00Z\n2,2,4,new,2026-11-24T11:00:00Z\n",
            customerIDs: [1, 2])
        try project.makeTokens()
        try project.ingestCustomers()
        #expect(try project.run(as: "alice", ["ingest", "orders_drop"]).status == 0)
        #expect(try project.run(as: "ci", ["promote", "--from", "dev", "--to", "prod"]).status == 0)
        let prodBefore = try project.sqlite("SELECT head FROM environments WHERE name = 'prod'")
        try project.write(
            "landing/customers/customers.csv",
            "customer_id,name,email,country,signed_up_at\n2,Bo,bo@example.com,SE,2026-01-01T00:00:00Z\n")
        let shrunk = try project.run(as: "alice", ["ingest", "customers_drop"])
        #expect(shrunk.status == 0, "\(shrunk.stderr)")
        #expect(
            shrunk.stderr.contains("raw.orders in dev") && shrunk.stderr.contains("references")
                && shrunk.stderr.contains("raw.customers @") && shrunk.stderr.contains("1 of 2 rows"),
            "\(shrunk.stderr)")
        let promote = try project.run(as: "ci", ["promote", "--from", "dev", "--to", "prod"])
        #expect(promote.status == 1, "\(promote.stdout)")
        #expect(
            promote.stderr.contains("raw.orders @") && promote.stderr.contains("references")
                && promote.stderr.contains("raw.customers @"),
            "\(promote.stderr)")
        #expect(try project.sqlite("SELECT head FROM environments WHERE name = 'prod'") == prodBefore)
        // The failure is on record, as the quality page shows it.
        let checks = try project.run(as: "alice", ["checks", "--env", "dev", "--json"])
        #expect(checks.stdout.contains("references checked against the new version"), "\(checks.stdout)")
    }
}
