import Foundation
import SluiceTestSupport
import Testing

/// Issue 10 items 5 and 11: default deny for callers without a token, masked PII, audited denials of
/// every bad token, and one bootstrap however many race for it.
@Suite struct IdentityTests {
    @Test func anonymousReadsNoConfidentialDataAndPIIIsMaskedForEveryoneWithoutUnmask() throws {
        let project = try CLIProject()
        try project.makeTokens()
        try project.ingestCustomers()
        let anonymous = try project.run(["cat", "raw.customers", "--env", "dev"])
        #expect(anonymous.status == 3, "\(anonymous.stdout)")
        #expect(!anonymous.stdout.contains("@example.com"))
        let engineer = try project.run(as: "alice", ["cat", "raw.customers", "--env", "dev"])
        #expect(engineer.status == 0, "\(engineer.stderr)")
        #expect(!engineer.stdout.contains("@example.com"), "PII needs an unmask grant: \(engineer.stdout)")
        #expect(engineer.stdout.contains("1,Ada,***,GB,"), "\(engineer.stdout)")
        let audit = try project.run(as: "ops", ["audit", "--json"]).stdout
        #expect(audit.contains("raw.customers") && audit.contains("denied"))
    }

    @Test(arguments: ["garbage", "sluice_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "", "\u{7}\n"])
    func everyRefusedTokenIsAudited(_ token: String) throws {
        let project = try CLIProject()
        try project.makeTokens()
        let before = try project.sqlite("SELECT count(*) FROM audit WHERE action = 'authenticate'")
        let result = try project.run(["status"], environment: ["SLUICE_TOKEN": token])
        guard !token.isEmpty else { return }  // an empty token is no token
        #expect(result.status == 3)
        let after = try project.sqlite("SELECT count(*) FROM audit WHERE action = 'authenticate'")
        #expect(
            Int(after.trimmingCharacters(in: .whitespacesAndNewlines))! == Int(
                before.trimmingCharacters(in: .whitespacesAndNewlines))! + 1)
        #expect(try project.run(["audit", "verify"]).status == 0)
    }

    @Test func aRevokedTokenIsRefusedAndAudited() throws {
        let project = try CLIProject()
        try project.makeTokens()
        let id = try project.sqlite("SELECT id FROM tokens WHERE principal = 'alice'").trimmingCharacters(
            in: .whitespacesAndNewlines)
        #expect(try project.run(as: "ops", ["token", "revoke", id]).status == 0)
        #expect(try project.run(as: "alice", ["status"]).status == 3)
        #expect(
            try project.sqlite("SELECT count(*) FROM audit WHERE action = 'authenticate' AND outcome = 'denied'")
                == "1\n")
    }

    @Test func racingBootstrapsMakeOneToken() throws {
        let project = try CLIProject()
        // The policy is applied by the first command; then eight bootstraps race.
        #expect(try project.run(["env", "list"]).status == 0)
        let results = Results()
        let sluice = project.sluice
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            if let result = try? sluice.run(["token", "create", "ops"]) { results.add(result.status) }
        }
        #expect(results.statuses.filter { $0 == 0 }.count == 1, "\(results.statuses)")
        #expect(try project.sqlite("SELECT count(*) FROM tokens") == "1\n")
        #expect(try project.run(["audit", "verify"]).status == 0)
    }

    final class Results: @unchecked Sendable {
        private let lock = NSLock()
        private(set) var statuses: [Int32] = []
        func add(_ status: Int32) { lock.withLock { statuses.append(status) } }
    }
}
