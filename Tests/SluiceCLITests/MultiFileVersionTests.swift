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
