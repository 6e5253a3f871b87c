import Foundation
import SluiceTestSupport
import Testing

/// Issue 22 item 13: the record says what happened: a failed run's `run.finish` event is not a success, a
/// missing environment is a usage error whoever asks, and a page is at most 1000 long.
@Suite struct RecordTests {
    @Test func failuresAreRecordedAsFailuresAndBadArgumentsAsUsage() throws {
        let project = try CLIProject()
        try project.makeTokens()
        try project.ingestCustomers()
        #expect(try project.run(as: "alice", ["ingest", "orders_drop"]).status == 0)
        try project.edit("models/clean_orders.sql") { $0 + "\nthis is no sql\n" }
        try project.commit("broken model")
        #expect(try project.run(as: "ci", ["run", "daily", "--env", "dev"]).status == 1)
        let events = try project.run(as: "ops", ["audit", "--action", "run.finish", "--json"]).stdout
        let finished = try #require(try JSONSerialization.jsonObject(with: Data(events.utf8)) as? [[String: Any]])
        let draft = try #require(finished.first?["draft"] as? [String: Any])
        #expect(draft["outcome"] as? String == "failed", "\(draft)")
        #expect((draft["details"] as? [String: String])?["status"] == "failed")
        #expect(try project.run(["audit", "verify"]).status == 0, "a failed run's end is sealed too")
        for principal in ["alice", "ci"] {
            let missing = try project.run(as: principal, ["promote", "--from", "dev", "--to", "nowhere"])
            #expect(missing.status == 2, "\(principal): \(missing.stderr)")
        }
        for command in [["runs"], ["audit"], ["log"], ["checks"]] {
            let tooMany = try project.run(as: "ops", command + ["--limit", "5000"])
            #expect(tooMany.status == 2 && tooMany.stderr.contains("--limit must be from 1 to 1000"), "\(command)")
        }
    }
}
