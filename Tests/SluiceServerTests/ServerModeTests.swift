import Foundation
import SluiceTestSupport
import Testing

/// Issue 12 item 3: with `--server` (or `SLUICE_SERVER`) the command line asks the service instead of
/// opening the store, and prints and exits exactly as in local mode.
@Suite(.serialized) struct ServerModeTests {
    let served: ServedProject
    /// A folder with no project and no store: server mode must need neither.
    let elsewhere: URL

    init() throws {
        served = try ServedProject()
        try Self.waitForTheFirstLandingPass(served)
        elsewhere = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-client-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
        TestLeftovers.track(folder: elsewhere)  // a suite's instance has no end to remove it at
    }

    var url: String { "http://127.0.0.1:\(served.port)" }

    /// Waits until the service's landing watcher has looked at the project's two landing files (each already
    /// landed by hand, which it records as audited ingests that change nothing) and the audit log is still:
    /// from then on, only the commands compared here change the store.
    static func waitForTheFirstLandingPass(_ served: ServedProject) throws {
        func claims() throws -> Int {
            Int(
                try served.project.sqlite("SELECT count(*) FROM landings").trimmingCharacters(
                    in: .whitespacesAndNewlines))
                ?? 0
        }
        func events() throws -> String { try served.project.run(as: "ops", ["audit", "verify"]).stdout }
        let deadline = Date().addingTimeInterval(120)
        while try claims() < 2, Date() < deadline { Thread.sleep(forTimeInterval: 0.2) }
        var last = try events()
        while Date() < deadline {
            Thread.sleep(forTimeInterval: 1)
            let now = try events()
            if now == last { return }
            last = now
        }
    }

    /// The command as `principal`, in the project folder (local) or in an empty folder with `--server`.
    /// The output of one command both ways. Where the project comes from differs by design (the command line
    /// reads the work tree; the service runs the project as committed, and says which commit): that is masked.
    func both(_ principal: String, _ arguments: [String]) throws -> (local: String, remote: String) {
        (try local(principal, arguments), Self.asWorkTree(try remote(principal, arguments)))
    }

    static func asWorkTree(_ text: String) -> String {
        text.replacingOccurrences(
            of: #", as committed at [0-9a-f]{12}"#, with: " (its work tree)", options: .regularExpression
        )
        .replacingOccurrences(of: #"\n *"commit" : "[0-9a-f]{40}","#, with: "", options: .regularExpression)
    }

    func local(_ principal: String, _ arguments: [String]) throws -> String {
        Self.shown(try served.project.run(as: principal, arguments))
    }

    func remote(_ principal: String, _ arguments: [String]) throws -> String {
        let token = ["SLUICE_TOKEN": served.project.tokens[principal] ?? ""]
        return Self.shown(try SluiceBinary(folder: elsewhere).run(["--server", url] + arguments, environment: token))
    }

    static func shown(_ result: SluiceBinary.Result) -> String {
        "exit \(result.status)\n--- stdout\n\(result.stdout)--- stderr\n\(result.stderr)"
    }

    /// Reads, refusals and errors: the same bytes and exit status both ways (each read changes nothing, so
    /// the two calls see the same state).
    @Test func readsAndRefusalsAreIdenticalBothWays() throws {
        let runs = try JSONSerialization.jsonObject(
            with: Data(try served.project.run(as: "ci", ["runs", "--json"]).stdout.utf8))
        let run = try #require((runs as? [[String: Any]])?.first?["id"] as? String)
        let good = served.project.folder.appendingPathComponent("landing/orders/2026-11-24.csv").path
        let bad = served.project.folder.appendingPathComponent("bad-check.csv")
        try Data("order_id,customer_id,amount,status,ordered_at\n9,1,x,paid,2026-11-24T10:00:00Z\n".utf8).write(to: bad)
        let cases: [(String, [String])] = [
            ("alice", ["status"]), ("alice", ["status", "--json"]), ("alice", ["env", "list"]),
            ("alice", ["env", "list", "--json"]), ("alice", ["datasets"]), ("alice", ["datasets", "--json"]),
            ("alice", ["datasets", "show", "staged.orders"]), ("bob", ["datasets", "show", "raw.customers"]),
            ("alice", ["cat", "raw.customers", "--env", "dev"]), ("bob", ["cat", "raw.customers", "--env", "dev"]),
            ("alice", ["log", "--env", "dev"]), ("alice", ["log", "--env", "dev", "--limit", "1", "--json"]),
            ("ci", ["runs"]), ("ci", ["runs", "--json"]), ("ci", ["runs", "--limit", "1"]),
            ("ci", ["runs", "show", run]), ("ci", ["logs", run]), ("ci", ["logs", run, "--json"]),
            ("alice", ["checks"]), ("alice", ["checks", "raw.orders", "--json"]), ("alice", ["quarantine", "list"]),
            ("alice", ["lineage", "curated.revenue_by_country", "--env", "dev"]),
            ("alice", ["lineage", "curated.revenue_by_country", "--env", "dev", "--format", "openlineage"]),
            ("ops", ["token", "list"]), ("ops", ["audit", "--limit", "5"]), ("ops", ["audit", "verify"]),
            ("ops", ["verify"]), ("ops", ["plan"]), ("ci", ["gc", "--dry-run"]),
            // Refusals (audited both ways), unknown names and bad arguments.
            ("alice", ["promote", "--from", "dev", "--to", "prod"]), ("alice", ["env", "delete", "prod"]),
            ("alice", ["token", "list"]), ("bob", ["gc", "--dry-run"]), ("alice", ["run", "daily", "--env", "prod"]),
            ("alice", ["datasets", "show", "raw.nope"]), ("alice", ["cat", "nope"]), ("alice", ["runs", "show", "r1"]),
            ("alice", ["logs", run, "no_step"]), ("alice", ["run", "nope"]), ("ci", ["runs", "cancel", run]),
            ("alice", ["runs", "--status", "odd"]), ("alice", ["quarantine", "show", "q-0"]),
            ("alice", ["env", "create", "Bad Name", "--from", "dev"]),
            // Files of this machine go to the service; re-deriving runs there.
            ("alice", ["check", good, "--against", "raw.orders", "--env", "dev"]),
            ("alice", ["check", bad.path, "--against", "raw.orders", "--env", "dev"]),
            ("alice", ["check", "/nonexistent.csv", "--against", "raw.orders"]),
            ("ci", ["reproduce", "curated.revenue_by_country", "--env", "dev"]),
        ]
        for (principal, arguments) in cases {
            let (local, remote) = try both(principal, arguments)
            #expect(local == remote, "sluice \(arguments.joined(separator: " ")) as \(principal)")
        }
    }

    /// Changes: each made once each way, on twin names; the outputs match once the ids and times that must
    /// differ (run ids, commits, quarantine ids, clocks) are masked.
    @Test func changesPrintTheSameBothWays() throws {
        let bad = served.project.folder.appendingPathComponent("bad.csv")
        let pairs: [(String, [String], [String])] = [
            (
                "alice", ["env", "create", "sandbox/alice-a", "--from", "dev", "--ttl", "2d"],
                ["env", "create", "sandbox/alice-b", "--from", "dev", "--ttl", "2d"]
            ),
            ("alice", ["env", "delete", "sandbox/alice-a"], ["env", "delete", "sandbox/alice-b"]),
            ("alice", ["ingest", "orders_drop", "--file", bad.path], ["ingest", "orders_drop", "--file", bad.path]),
            ("ci", ["run", "daily", "--env", "dev", "--no-cache"], ["run", "daily", "--env", "dev", "--no-cache"]),
            ("ci", ["run", "daily", "--env", "dev", "--json"], ["run", "daily", "--env", "dev", "--json"]),
            ("ops", ["token", "revoke", "nope"], ["token", "revoke", "nope"]),
        ]
        for (principal, local, remote) in pairs {
            // The same refusal each way needs two deliveries: a refused file is not judged again.
            try Data("order_id,customer_id,amount,status,ordered_at\n9,1,x,paid,2026-11-24T10:00:00Z\n".utf8).write(
                to: bad)
            let first = try self.local(principal, local)
            try Data("order_id,customer_id,amount,status,ordered_at\n10,1,x,paid,2026-11-24T10:00:00Z\n".utf8).write(
                to: bad)
            let second = try self.remote(principal, remote)
            #expect(
                Self.masked(first).replacingOccurrences(of: "alice-a", with: "alice-?")
                    == Self.masked(second).replacingOccurrences(of: "alice-b", with: "alice-?"),
                "sluice \(local.joined(separator: " ")) as \(principal)")
        }
    }

    /// Ids and times that two runs of the same command make differently, and where a run went on (its
    /// process, and whether that is the service's).
    static func masked(_ text: String) -> String {
        // The command line records its work tree (`-dirty` when it has changes); the service, the commit it runs.
        var text = text.replacingOccurrences(of: #"\n *"inService" : true,"#, with: "", options: .regularExpression)
            .replacingOccurrences(of: "-dirty", with: "")
        for pattern in [
            #""pid" : [0-9]+"#, #""traceID" : "[0-9a-f]+""#,
            #"r[0-9]{8}-[0-9]{6}-[0-9a-f]{6}"#, #"q-[0-9a-f]{8}"#, #"[0-9a-f]{32}"#, #"[0-9a-f]{12}"#,
            #"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9:.]+Z?"#, #"[0-9]{2}:[0-9]{2}:[0-9]{2}"#, #"[0-9]+\.[0-9]{2}s"#,
            #""(started_at|ended_at|startedAt|endedAt|heartbeatAt|checkedAt)" : [0-9]+"#, #"[0-9]{13}"#,
        ] {
            text = text.replacingOccurrences(of: pattern, with: "#", options: .regularExpression)
        }
        return text
    }

    /// The service's address can come from the environment; an unreachable one exits 69 and says so; nothing
    /// opens a store here.
    @Test func theAddressComesFromTheEnvironmentAndFailuresAreClear() throws {
        let client = SluiceBinary(folder: elsewhere)
        let token = served.project.tokens["alice"] ?? ""
        let viaEnvironment = try client.run(["status"], environment: ["SLUICE_SERVER": url, "SLUICE_TOKEN": token])
        #expect(viaEnvironment.status == 0, "\(viaEnvironment.stderr)")
        #expect(viaEnvironment.stdout.contains("acting as alice (token)"))
        let down = try client.run(["--server", "http://127.0.0.1:1", "status"], environment: ["SLUICE_TOKEN": token])
        #expect(down.status == 69)
        #expect(down.stderr.contains("does not answer"), "\(down.stderr)")
        let notHTTP = try client.run(["status", "--server", "file:///etc/passwd"])
        #expect(notHTTP.status == 2)
        #expect(!FileManager.default.fileExists(atPath: elsewhere.appendingPathComponent(".sluice").path))
        // No token: the anonymous role, as on the command line without `--server`.
        let anonymous = try client.run(["--server", url, "status"])
        #expect(
            anonymous.status == 0 && anonymous.stdout.contains("anonymous"), "\(anonymous.stdout)\(anonymous.stderr)")
    }
}
