import Foundation
import SluiceTestSupport
import Testing

/// Issue 22 item 12: one access model. The audit log needs `read:audit` (admins hold it; `read:*` does not):
/// an anonymous caller and an engineer get the same refusal from the command line, `--server`, the API and the
/// UI; an admin reads it everywhere. `audit` is no environment's name.
@Suite struct AuditAccessTests {
    @Test func theAuditLogNeedsReadAuditEverywhere() async throws {
        let project = try CLIProject()
        try project.makeTokens()
        let served = try ServedProject(serving: project)
        let url = "http://127.0.0.1:\(served.port)"
        for principal in [nil, "alice"] as [String?] {
            let who = principal ?? "anonymous"
            let local = try project.run(as: principal, ["audit", "--json"])
            #expect(local.status == 3 && local.stderr.contains("\(who) may not read the audit log"), "\(local.stderr)")
            let remote = try SluiceBinary(folder: FileManager.default.temporaryDirectory).run(
                ["--server", url, "audit", "--json"],
                environment: principal.map { ["SLUICE_TOKEN": project.tokens[$0] ?? ""] } ?? [:])
            #expect(
                remote.status == 3 && remote.stderr.contains("\(who) may not read the audit log"), "\(remote.stderr)")
            if principal == nil {
                let api = try await served.get("/api/v1/audit")
                let message = (api.object["error"] as? [String: Any])?["message"] as? String ?? ""
                #expect(api.status == 403 && message.contains("anonymous may not read the audit log"), "\(api.object)")
            }
            let page = WebClient(port: served.port)
            if let principal { try await page.signIn(token: project.tokens[principal]!) }
            let ui = try await page.get("/ui/audit")
            #expect(ui.status == 403 && ui.body.contains("\(who) may not read the audit log"), "\(ui.status)")
        }
        #expect(try await served.get("/api/v1/audit", as: "alice").status == 403)
        #expect(try await served.get("/api/v1/audit", as: "ops").status == 200)
        #expect(try project.run(as: "ops", ["audit", "--json"]).status == 0)
        let admin = WebClient(port: served.port)
        try await admin.signIn(token: project.tokens["ops"]!)
        #expect(try await admin.get("/ui/audit").status == 200)
        let named = try project.run(as: "alice", ["env", "create", "audit", "--from", "dev"])
        #expect(named.status == 2 && named.stderr.contains("not a valid environment name"), "\(named.stderr)")
    }
}
