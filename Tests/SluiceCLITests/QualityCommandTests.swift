import Foundation
import SluiceTestSupport
import Testing

/// The quality gate from the command line: a refused ingest exits 1 and lands in quarantine, reports read
/// back with `checks`, and `check` judges a file ad hoc.
@Suite struct QualityCommandTests {
    @Test func gateFailureQuarantineAndReports() throws {
        let bad =
            "order_id,customer_id,amount,status,ordered_at\n1,1,10.50,paid,2026-11-24T10:00:00Z\n2,9,-3,lost,yesterday\n"
        let project = try CLIProject(ordersCSV: bad)
        try project.makeTokens()
        try project.ingestCustomers()
        let refused = try project.run(as: "alice", ["ingest", "orders_drop"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("quality gate failed for raw.orders"), "\(refused.stderr)")
        #expect(refused.stderr.contains("FAIL amount.min") && refused.stderr.contains("line 3"))
        #expect(refused.stderr.contains("nothing changed in the environment"))
        // The refused file is not judged (nor quarantined) again; another delivery is.
        let again = try project.run(as: "alice", ["ingest", "orders_drop"])
        #expect(again.status == 2 && again.stderr.contains("every file there was refused before"), "\(again.stderr)")
        try project.write(
            "landing/orders/2026-11-25.csv",
            "order_id,customer_id,amount,status,ordered_at\n3,1,-1,paid,2026-11-25T10:00:00Z\n")
        let json = try project.run(as: "alice", ["ingest", "orders_drop", "--json"])
        #expect(json.status == 1 && json.stdout.contains("\"unexpectedPercent\""))

        let listed = try project.run(as: "alice", ["quarantine", "list", "--json"])
        let batches = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])
        #expect(batches.count == 2)
        let id = try #require(batches.last?["id"] as? String, "the first refused batch")
        #expect(
            try project.run(as: "alice", ["quarantine", "show", id]).stdout.contains("rejected batch of raw.orders"))
        #expect(try project.run(as: "alice", ["quarantine", "cat", id]).stdout == bad)
        #expect(try project.run(as: "alice", ["quarantine", "show", "q-nope"]).status == 2)
        // The list applies the classification ceiling as show does: raw.orders is confidential, and the
        // anonymous role (and bob's, the analyst's) reads up to internal.
        for reader in [nil, "bob"] as [String?] {
            let hidden = try project.run(as: reader, ["quarantine", "list", "--json"])
            #expect(hidden.status == 0 && !hidden.stdout.contains(id), "\(reader ?? "anonymous"): \(hidden.stdout)")
            #expect(try project.run(as: reader, ["quarantine", "show", id]).status == 3)
        }

        let checks = try project.run(as: "alice", ["checks", "raw.orders", "--env", "dev"])
        #expect(checks.stdout.contains("FAILED") && checks.stdout.contains("status.in"))
        let customers = try project.run(as: "alice", ["checks", "raw.customers", "--json"])
        #expect(customers.stdout.contains("\"passed\" : true"))

        try project.write(
            "adhoc.csv", "order_id,customer_id,amount,status,ordered_at\n5,1,1.00,new,2026-11-24T10:00:00Z\n")
        let good = try project.run(as: "alice", ["check", "adhoc.csv", "--against", "raw.orders"])
        #expect(good.status == 0 && good.stdout.contains("passes"))
        let checkedBad = try project.run([
            "check", "landing/orders/2026-11-24.csv", "--against", "raw.orders", "--json",
        ])
        #expect(checkedBad.status == 1 && checkedBad.stdout.contains("\"invalidRows\" : 1"))
        #expect(
            try project.run(as: "alice", ["quarantine", "list", "--json"]).stdout == listed.stdout,
            "check changes nothing")
    }
}

/// Issue 11 item 9: a quarantined row that is not valid UTF-8 keeps its bytes.
@Suite struct QuarantinedBytesTests {
    @Test func invalidUTF8RowsAreKeptByteForByte() throws {
        var rows = (1...200).map { "\($0),1,1.00,paid,2026-11-24T10:00:00Z\n" }.joined()
        rows += "201,1,1.00,pa\u{FFFD}id,2026-11-24T10:00:00Z\n"
        let project = try CLIProject(ordersCSV: "order_id,customer_id,amount,status,ordered_at\n" + rows)
        // Put a lone 0xFF byte where the replacement character stands.
        let file = project.folder.appendingPathComponent("landing/orders/2026-11-24.csv")
        var bytes = try Data(contentsOf: file)
        let marker = Data("\u{FFFD}".utf8)
        let range = try #require(bytes.range(of: marker))
        bytes.replaceSubrange(range, with: Data([0xFF]))
        try bytes.write(to: file)
        try project.makeTokens()
        try project.ingestCustomers()
        let ingest = try project.run(as: "alice", ["ingest", "orders_drop"])
        #expect(ingest.status == 0, "\(ingest.stderr)")
        let batch = try project.sqlite("SELECT id FROM quarantine").trimmingCharacters(in: .whitespacesAndNewlines)
        let held = try project.run(as: "alice", ["quarantine", "cat", batch]).stdout
        let object = try #require(
            try JSONSerialization.jsonObject(with: Data(held.split(separator: "\n")[0].utf8)) as? [String: Any])
        let encoded = try #require(object["record_base64"] as? String, "\(held)")
        #expect(
            Data(base64Encoded: encoded) == Data("201,1,1.00,pa".utf8) + Data([0xFF])
                + Data("id,2026-11-24T10:00:00Z".utf8))
    }
}
