import Foundation
import SluiceTestSupport
import Testing

/// Issue 10 item 11: a change and its audit event land together; a process killed right after a ref
/// moved has already written the event.
@Suite struct AtomicAuditTests {
    @Test func aKillRightAfterAPromotionLeavesItAudited() throws {
        let project = try CLIProject()
        try project.makeTokens()
        try project.ingestCustomers()
        #expect(try project.run(as: "alice", ["ingest", "orders_drop"]).status == 0)
        // Outside the project: promotion needs a clean work tree.
        let log = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sluice-promote-\(UUID().uuidString).err")
        defer { try? FileManager.default.removeItem(at: log) }
        let (process, _, _) = try project.sluice.start(
            ["promote", "--from", "dev", "--to", "prod"],
            environment: [
                "SLUICE_TOKEN": try #require(project.tokens["ci"]), "SLUICE_TEST_PAUSE_AT": "ref.moved",
                "SLUICE_TEST_RESUME_FILE": log.appendingPathExtension("never").path,
            ], stderrFile: log)
        try waitFor("paused at ref.moved", in: log)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let prod = try project.sqlite("SELECT head FROM environments WHERE name = 'prod'")
        #expect(!prod.isEmpty, "the promotion moved prod before the kill")
        #expect(
            try project.sqlite("SELECT count(*) FROM audit WHERE action = 'promote' AND outcome = 'succeeded'") == "1\n"
        )
        #expect(try project.run(["audit", "verify"]).status == 0)
    }
}
