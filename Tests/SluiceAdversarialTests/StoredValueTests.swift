import Foundation
import SluiceTestSupport
import Testing

/// Issue 10 item 10: no number a user types, and none stored in the metadata, can make a command crash.
@Suite struct StoredValueTests {
    @Test func anOverlongDurationIsRefusedBeforeAnythingIsStored() throws {
        let project = try CLIProject()
        try project.makeTokens()
        let created = try project.run(
            as: "alice", ["env", "create", "sandbox/x", "--from", "dev", "--ttl", "99999999999w"])
        #expect(created.status == 2, "\(created.stderr)")
        #expect(created.stderr.contains("at most 1000 years"))
        #expect(try project.sqlite("SELECT count(*) FROM environments WHERE name = 'sandbox/x'") == "0\n")
    }

    @Test func aHugeStoredDurationCannotBrickTheStore() throws {
        let project = try CLIProject()
        try project.makeTokens()
        #expect(
            try project.run(as: "alice", ["env", "create", "sandbox/x", "--from", "dev", "--ttl", "3d"]).status == 0)
        // As an older version (or an edit of the database) could have left it.
        _ = try project.sqlite("UPDATE environments SET ttl_seconds = 9223372036854775807 WHERE name = 'sandbox/x'")
        for arguments in [["env", "list"], ["status"], ["gc", "--dry-run"]] {
            let result = try project.run(as: "ci", arguments)
            #expect(result.status == 0, "\(arguments): \(result.stderr)")
        }
    }

    @Test func envDeleteIsAuditedAndNeverDeletesAProtectedEnvironment() throws {
        let project = try CLIProject()
        try project.makeTokens()
        #expect(try project.run(as: "alice", ["env", "create", "sandbox/x", "--from", "dev"]).status == 0)
        let denied = try project.run(as: "alice", ["env", "delete", "sandbox/x"])
        #expect(denied.status == 3, "an engineer holds no delete grant: \(denied.stderr)")
        #expect(try project.run(as: "ci", ["env", "delete", "prod"]).status == 3)
        let deleted = try project.run(as: "ci", ["env", "delete", "sandbox/x"])
        #expect(deleted.status == 0, "\(deleted.stderr)")
        let audit = try project.run(as: "ops", ["audit", "--json"]).stdout
        #expect(audit.contains("env.delete"))
        #expect(try project.sqlite("SELECT count(*) FROM environments WHERE name = 'sandbox/x'") == "0\n")
        #expect(try project.run(["audit", "verify"]).status == 0)
    }
}
