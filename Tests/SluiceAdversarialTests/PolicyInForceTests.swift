import Foundation
import SluiceTestSupport
import Testing

/// Issue 10 items 3 and 4: the policy in force comes from the store, where only a store-wide admin puts it,
/// from a clean tree; no edit of the work tree (committed locally or not) changes who may do what.
@Suite struct PolicyInForceTests {
    static func loosened(_ project: CLIProject) throws -> String {
        try project.edit("sluice.yaml") {
            $0.replacingOccurrences(
                of: "prod: { protected: true }",
                with: "prod: { protected: false, lifecycle: { expire_after_idle: 3650d } }"
            )
            .replacingOccurrences(
                of: "engineer: { grants: [\"read:*\", \"write:dev\", \"write:sandbox/*\"] }",
                with: "engineer: { grants: [\"read:*\", \"write:*\", \"promote:*\", \"admin:*\", \"unmask:*\"] }")
        }
    }

    @Test func aWorkTreeEditCannotUnprotectProd() throws {
        let project = try CLIProject()
        try project.makeTokens()
        try project.ingestCustomers()
        let prodBefore = try project.sqlite("SELECT head FROM environments WHERE name = 'prod'")
        _ = try Self.loosened(project)
        let ingest = try project.run(as: "alice", ["ingest", "orders_drop", "--env", "prod"])
        #expect(ingest.status == 3, "\(ingest.stdout)\(ingest.stderr)")
        #expect(ingest.stderr.contains("differs from the one applied"), "the operator is told the edit has no effect")
        // Committing the edit locally changes nothing either: only an admin's apply does.
        try project.commit("loosen")
        #expect(try project.run(as: "alice", ["ingest", "orders_drop", "--env", "prod"]).status == 3)
        #expect(try project.run(as: "alice", ["promote", "--from", "dev", "--to", "prod"]).status == 3)
        #expect(try project.run(as: "alice", ["apply"]).status == 3, "alice is no admin under the applied policy")
        #expect(try project.sqlite("SELECT head FROM environments WHERE name = 'prod'") == prodBefore)
        let plan = try project.run(as: "alice", ["plan"])
        #expect(plan.stdout.contains("~ environment prod: protected → unprotected"), "\(plan.stdout)")
        #expect(try project.run(["audit", "verify"]).status == 0)
    }

    @Test func applyNeedsAStoreWideAdminAndACleanTree() throws {
        let project = try CLIProject()
        try project.makeTokens()
        let original = try Self.loosened(project)
        let dirty = try project.run(as: "ops", ["apply"])
        #expect(dirty.status == 2, "a dirty tree is refused: \(dirty.stderr)")
        try project.write("sluice.yaml", original)
        try project.write(
            "sluice.yaml",
            original.replacingOccurrences(
                of: "analyst: { grants: [\"read:prod:curated\"] }",
                with: "analyst: { grants: [\"read:prod:curated\", \"read:dev:curated\"] }"))
        try project.commit("analyst reads dev's curated zone")
        let applied = try project.run(as: "ops", ["apply"])
        #expect(applied.status == 0, "\(applied.stderr)")
        #expect(applied.stdout.contains("~ role analyst"))
        let audit = try project.run(as: "ops", ["audit", "--json"]).stdout
        #expect(audit.contains("policy.apply"))
        #expect(try project.run(as: "ops", ["plan"]).stdout.contains("nothing to apply"))
    }

    @Test func aTemporaryEditCannotReopenTheBootstrap() throws {
        let project = try CLIProject()
        try project.makeTokens()
        let original = try Self.loosened(project)
        try project.write(
            "sluice.yaml", original.replacingOccurrences(of: "ci: { role: pipeline }", with: "ci: { role: admin }"))
        let minted = try project.run(["token", "create", "ci"])
        #expect(minted.status == 3, "\(minted.stdout)\(minted.stderr)")
        try project.write("sluice.yaml", original)
        // Revoking every token does not reopen it either.
        let ops = try project.sqlite("SELECT id FROM tokens WHERE principal = 'ops'")
        for id in try project.sqlite("SELECT id FROM tokens").split(separator: "\n") where !ops.contains(id) {
            #expect(try project.run(as: "ops", ["token", "revoke", String(id)]).status == 0)
        }
        #expect(try project.run(["token", "create", "ops"]).status == 3)
    }

    @Test func scopedAdminIsRefusedByValidation() throws {
        let project = try CLIProject()
        try project.edit("sluice.yaml") {
            $0.replacingOccurrences(
                of: "engineer: { grants: [\"read:*\", \"write:dev\", \"write:sandbox/*\"] }",
                with: "engineer: { grants: [\"read:*\", \"write:dev\", \"admin:sandbox/*\"] }")
        }
        let validated = try project.run(["validate"])
        #expect(validated.status == 2)
        #expect(validated.stdout.contains("admin:*") || validated.stderr.contains("admin:*"))
    }
}

/// Issue 21 item 12: the first commands on a new store race to apply the committed policy; exactly one does.
@Suite struct BootstrapRaceTests {
    @Test func eightFirstCommandsApplyThePolicyOnce() async throws {
        let project = try CLIProject()
        let statuses = Statuses()
        let sluice = project.sluice
        DispatchQueue.concurrentPerform(iterations: 8) { _ in
            statuses.add((try? sluice.run(["status", "--json"]).status) ?? -1)
        }
        #expect(statuses.all == Array(repeating: 0, count: 8))
        let applied = try project.sqlite("SELECT count(*) FROM audit WHERE action = 'policy.apply'")
        #expect(applied.trimmingCharacters(in: .whitespacesAndNewlines) == "1", "\(applied) bootstrap events")
        #expect(try project.run(["audit", "verify"]).status == 0)
    }
}

/// Exit statuses gathered from threads.
final class Statuses: @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Int32] = []
    func add(_ value: Int32) { lock.withLock { values.append(value) } }
    var all: [Int32] { lock.withLock { values } }
}
