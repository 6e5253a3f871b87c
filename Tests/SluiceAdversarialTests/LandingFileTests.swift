import Foundation
import SluiceTestSupport
import Testing

/// Issue 10 item 15: what lies in a landing folder is hostile: a FIFO must not hang an ingest, a link out
/// of the project must not be ingested, a name with a line break must not break messages.
@Suite struct LandingFileTests {
    static func project() throws -> CLIProject {
        let project = try CLIProject()
        try project.makeTokens()
        try project.ingestCustomers()
        return project
    }

    @Test func aFIFOIsRefusedInsteadOfHangingTheIngest() throws {
        let project = try Self.project()
        let fifo = project.folder.appendingPathComponent("landing/orders/pipe.csv")
        #expect(mkfifo(fifo.path, 0o644) == 0)
        let started = Date()
        let ingest = try project.run(as: "alice", ["ingest", "orders_drop"])
        #expect(Date().timeIntervalSince(started) < 30)
        #expect(ingest.status == 2, "\(ingest.stderr)")
        #expect(ingest.stderr.contains("not a regular file"), "\(ingest.stderr)")
        #expect(try project.sqlite("SELECT count(*) FROM versions WHERE dataset = 'raw.orders'") == "0\n")
        let check = try project.run(as: "alice", ["check", fifo.path, "--against", "raw.orders"])
        #expect(check.status == 2, "\(check.stderr)")
    }

    @Test func aLinkOutOfTheProjectIsRefused() throws {
        let project = try Self.project()
        let outside = FileManager.default.temporaryDirectory.appendingPathComponent("secret-\(UUID().uuidString).csv")
        try Data("order_id,customer_id,amount,status,ordered_at\n9,1,1,paid,2026-11-24T10:00:00Z\n".utf8).write(
            to: outside)
        defer { try? FileManager.default.removeItem(at: outside) }
        try FileManager.default.createSymbolicLink(
            at: project.folder.appendingPathComponent("landing/orders/link.csv"), withDestinationURL: outside)
        let ingest = try project.run(as: "alice", ["ingest", "orders_drop"])
        #expect(ingest.status == 2, "\(ingest.stderr)")
        #expect(ingest.stderr.contains("outside the project"), "\(ingest.stderr)")
        #expect(try project.sqlite("SELECT count(*) FROM versions WHERE dataset = 'raw.orders'") == "0\n")
    }

    @Test func aNameWithALineBreakIsRefusedAndQuoted() throws {
        let project = try Self.project()
        try project.write(
            "landing/orders/evil\nname.csv",
            "order_id,customer_id,amount,status,ordered_at\n9,1,1,paid,2026-11-24T10:00:00Z\n")
        let ingest = try project.run(as: "alice", ["ingest", "orders_drop"])
        #expect(ingest.status == 2, "\(ingest.stderr)")
        #expect(ingest.stderr.contains("evil\\nname.csv"), "the name is shown escaped: \(ingest.stderr)")
    }
}
