import Foundation
import SluiceTestSupport
import Testing

/// Issue 22 item 9: the service follows git. Every run it starts runs the project as committed at the commit
/// it records (never the work tree's uncommitted edits); a new commit goes in force without a restart, and
/// `/readyz`, `sluice status` and the UI say which; a commit whose project is not valid is refused, the one
/// before stays in force, and the refusal is shown.
@Suite struct GitFollowingTests {
    static func head(_ project: CLIProject) throws -> String {
        let git = Process()
        git.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        git.arguments = ["git", "-C", project.folder.path, "rev-parse", "HEAD"]
        return String(decoding: try ProcessCapture.run(git).stdout, as: UTF8.self).trimmingCharacters(
            in: .whitespacesAndNewlines)
    }

    /// Starts a run of `daily` in dev through the service and waits for it to end; returns its record.
    static func run(_ served: ServedProject) async throws -> [String: Any] {
        let started = try await served.post("/api/v1/runs", #"{"pipeline":"daily","environment":"dev"}"#, as: "ci")
        let id = try #require(started.object["id"] as? String, "\(started.object)")
        for _ in 0..<300 {
            let run = try await served.get("/api/v1/runs/\(id)", as: "ci").object
            if run["status"] as? String != "running" { return run }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw CLIError(message: "run \(id) did not end")
    }

    /// Waits until `/readyz` says `commit` is in force (the service looks every 5 s).
    static func inForce(_ served: ServedProject, _ key: String, contains text: String) async throws -> [String: Any] {
        for _ in 0..<300 {
            let ready = try await served.get("/readyz").object
            if (ready[key] as? String)?.contains(text) == true { return ready }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw CLIError(message: "readyz never said \(key) \(text)")
    }

    @Test func runsUseTheCommittedProjectAndNewCommitsGoInForce() async throws {
        let project = try CLIProject()
        try project.makeTokens()
        try project.ingestCustomers()
        #expect(try project.run(as: "alice", ["ingest", "orders_drop"]).status == 0)
        let first = try Self.head(project)
        let served = try ServedProject(serving: project)
        #expect(try await served.get("/readyz").object["commit"] as? String == first)
        // An uncommitted edit of a step is not run; the run records the commit it ran.
        try project.edit("models/clean_orders.sql") {
            $0.replacingOccurrences(of: " status,", with: " 'edited' AS status,")
        }
        let dirty = try await Self.run(served)
        #expect(dirty["status"] as? String == "succeeded" && dirty["gitCommit"] as? String == first, "\(dirty)")
        #expect(!(try project.run(as: "alice", ["cat", "staged.orders"]).stdout.contains("edited")))
        // Committed, it goes in force without a restart, and the next run runs it.
        try project.commit("status edited")
        let second = try Self.head(project)
        _ = try await Self.inForce(served, "commit", contains: second)
        let committed = try await Self.run(served)
        #expect(committed["gitCommit"] as? String == second, "\(committed)")
        #expect(try project.run(as: "alice", ["cat", "staged.orders"]).stdout.contains("edited"))
        // A commit whose project is not valid is refused; the one before stays in force, and it is said.
        try project.write("sluice.yaml", "project: [not, valid\n")
        try project.commit("broken")
        let third = try Self.head(project)
        let ready = try await Self.inForce(served, "refused", contains: String(third.prefix(12)))
        #expect(ready["commit"] as? String == second && ready["status"] as? String == "ready", "\(ready)")
        let status = try project.sluice.run(
            ["--server", "http://127.0.0.1:\(served.port)", "status"],
            environment: ["SLUICE_TOKEN": project.tokens["alice"] ?? ""])
        #expect(status.stdout.contains("as committed at \(second.prefix(12))"), "\(status.stdout)")
        #expect(status.stdout.contains("commit \(third.prefix(12)) was refused"), "\(status.stdout)")
        let page = try await WebClient(port: served.port).get("/ui")
        #expect(page.body.contains("at commit \(second.prefix(12))") && page.body.contains("was refused"))
        #expect(try await Self.run(served)["gitCommit"] as? String == second)
    }
}
