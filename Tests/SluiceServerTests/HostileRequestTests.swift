import Foundation
import SluiceCore
import SluiceTestSupport
import SluiceWeb
import Testing

/// Issue 21: `sluice serve` attacked as an adversary would, on loopback, with tokens of every role and of a
/// principal whose role grants nothing (`eve`). Each test attacks one item; each failed on the main before it.
@Suite struct HostileRequestTests {
    /// A committed project with a role that grants nothing (`nobody`, held by `eve`), tokens, customers and
    /// orders in dev, served by `sluice serve` with `arguments`.
    static func served(_ arguments: [String] = []) throws -> ServedProject {
        let project = try CLIProject()
        try withNobody(project)
        try project.commit("eve, who may do nothing")
        try project.makeTokens(["ci", "alice", "bob", "eve"])
        try project.ingestCustomers()
        guard try project.run(as: "alice", ["ingest", "orders_drop"]).status == 0 else {
            throw CLIError(message: "could not ingest the orders")
        }
        return try ServedProject(serving: project, arguments: arguments)
    }

    static func withNobody(_ project: CLIProject) throws {
        try project.edit("sluice.yaml") {
            $0.replacingOccurrences(
                of: "  analyst: { grants: [\"read:prod:curated\"] }\n",
                with: "  analyst: { grants: [\"read:prod:curated\"] }\n  nobody: { grants: [] }\n"
            )
            .replacingOccurrences(
                of: "  ops: { role: admin }\n", with: "  ops: { role: admin }\n  eve: { role: nobody }\n")
        }
    }

    /// Item 1: references that are not names are 400 for every caller, never a trap; the CLI exits 2.
    @Test func referencesThatAreNotNamesAre400NotACrash() async throws {
        let served = try Self.served()
        let hostile = ["@", "@@", "raw.orders@", "@abcd", "raw.orders@zz12", "raw.orders@@", "raw.orders@abcd@"]
        for principal in ["eve", "alice", "ops"] {
            for reference in hostile {
                let escaped = reference.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? reference
                for path in ["/api/v1/lineage/\(escaped)", "/api/v1/datasets/\(escaped)/data"] {
                    let answer = try await served.get(path, as: principal)
                    #expect(answer.status == 400, "\(principal) \(path): \(answer.status)")
                }
                let body = String(decoding: try JSONEncoder().encode(["reference": reference]), as: UTF8.self)
                let reproduce = try await served.post("/api/v1/reproduce", body, as: principal)
                #expect(reproduce.status == 400, "\(principal) reproduce \(reference): \(reproduce.status)")
            }
            let empty = try await served.post("/api/v1/reproduce", #"{"reference":""}"#, as: principal)
            #expect(empty.status == 400 && empty.errorCode == "usage", "\(principal): \(empty.status)")
        }
        #expect(try await served.get("/healthz").status == 200, "the service still answers")
        #expect(served.process.isRunning)
        for reference in ["@", "@@", "raw.orders@"] {
            let cat = try served.project.run(as: "alice", ["cat", reference])
            #expect(cat.status == 2, "sluice cat \(reference): \(cat.status) \(cat.stderr)")
        }
    }

    /// Item 2: no control character reaches a name or the audit chain, from a body, a path or a query; the
    /// chain stays verifiable.
    @Test func controlCharactersNeverReachTheAuditChain() async throws {
        let served = try Self.served()
        for principal in ["ops", "eve"] {
            for name in ["\u{0}", "ci\u{0}", "\u{1b}[31mci", "ci\n", "c\u{7f}i"] {
                let body = String(decoding: try JSONEncoder().encode(["principal": name]), as: UTF8.self)
                let answer = try await served.post("/api/v1/tokens", body, as: principal)
                #expect(answer.status == 400, "\(principal) token for \(name.debugDescription): \(answer.status)")
            }
        }
        for path in ["/api/v1/audit?principal=%00", "/api/v1/runs?pipeline=a%0Ab", "/api/v1/environments/de%00v/log"] {
            #expect(try await served.get(path, as: "ops").status == 400, "\(path)")
        }
        let verify = try await served.get("/api/v1/audit/verify", as: "ops")
        #expect(verify.status == 200 && (verify.object["problems"] as? [Any])?.isEmpty == true, "\(verify.object)")
        let cli = try served.project.run(as: "ops", ["audit", "verify"])
        #expect(cli.status == 0, "\(cli.stdout)\(cli.stderr)")
    }

    /// Item 3: the service applies the policy committed at the commit it records, never the project it loaded
    /// at start (which held an uncommitted grant), and a revocation committed later takes effect.
    @Test func theServiceAppliesOnlyTheCommittedPolicy() async throws {
        let project = try CLIProject()
        try project.makeTokens(["ci", "alice", "bob"])
        try project.ingestCustomers()
        #expect(try project.run(as: "alice", ["ingest", "orders_drop"]).status == 0)
        #expect(try project.run(as: "ci", ["run", "daily", "--env", "dev"]).status == 0)
        // An uncommitted grant is in the work tree when the service starts …
        let committed = try project.edit("sluice.yaml") {
            $0.replacingOccurrences(
                of: #"engineer: { grants: ["read:*", "write:dev", "write:sandbox/*"] }"#,
                with: #"engineer: { grants: ["read:*", "write:dev", "write:sandbox/*", "promote:prod"] }"#)
        }
        let served = try ServedProject(serving: project)
        // … then the tree is clean again, and a revocation is committed: bob is no longer a principal.
        try project.write("sluice.yaml", committed.replacingOccurrences(of: "  bob: { role: analyst }\n", with: ""))
        try project.commit("bob leaves")
        let applied = try await served.post("/api/v1/policy/apply", "{}", as: "ops")
        #expect(applied.status == 200, "\(applied.object)")
        let changes = applied.object["changes"] as? [String] ?? []
        #expect(changes.contains { $0.contains("bob") }, "the committed revocation is applied: \(changes)")
        #expect(!changes.contains { $0.contains("promote:prod") }, "the uncommitted grant is not: \(changes)")
        let promote = try await served.post("/api/v1/promote", #"{"from":"dev","to":"prod"}"#, as: "alice")
        #expect(promote.status == 403, "alice promoted prod: \(promote.status) \(promote.object)")
        #expect(try await served.get("/api/v1/status", as: "bob").status == 401, "bob's token still works")
        let plan = try await served.get("/api/v1/policy/plan", as: "ops")
        #expect(plan.status == 200 && (plan.object["changes"] as? [String])?.isEmpty == true, "\(plan.object)")
    }

    /// Item 5: an upload is refused from its headers, before its body is sent; one over the cap is 413.
    @Test func uploadsAreDecidedFromTheirHeaders() async throws {
        let served = try Self.served(["--max-upload-mib", "1"])
        let path = "/api/v1/sources/orders_drop/ingest?filename=orders.csv"
        for (principal, expected) in [("eve", 403), ("bob", 403), ("alice", 413)] {
            let connection = try RawConnection(port: served.port)
            try connection.send(
                "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(served.project.tokens[principal]!)\r\n"
                    + "Content-Type: text/csv\r\nContent-Length: 1500000000\r\n\r\n")
            // Not a byte of the 1.5 GB is sent: the answer must come from the headers alone.
            #expect(await connection.status(seconds: 10) == expected, "\(principal)")
        }
        // A body without a length that grows past the cap is cut off with 413.
        let chunk = String(repeating: "9", count: 64 * 1024)
        let connection = try RawConnection(port: served.port)
        try connection.send(
            "POST \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(served.project.tokens["alice"]!)\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n")
        for _ in 0..<20 { try? connection.send(String(chunk.utf8.count, radix: 16) + "\r\n" + chunk + "\r\n") }
        #expect(await connection.status(seconds: 10) == 413)
        let denied = try await served.get("/api/v1/audit?action=ingest&outcome=denied", as: "ops")
        #expect(((denied.object["items"] as? [Any])?.count ?? 0) >= 2, "refusals are audited: \(denied.object)")
    }

    /// Item 7: during the drain new work gets 503 with Retry-After, and the service exits within its grace.
    @Test func theDrainRefusesNewWorkAndEnds() async throws {
        let (project, go) = try ServedProject.talkingProject(before: "echo started", after: "true")
        try project.ingestCustomers()
        // A grace long enough for this test's next request to reach the draining service on a loaded machine
        // (its tasks may wait seconds for a thread).
        let served = try ServedProject(serving: project, arguments: ["--grace", "12"])
        let started = try await served.post("/api/v1/runs", #"{"pipeline":"chatty","environment":"dev"}"#, as: "ci")
        #expect(started.status == 202, "\(started.object)")
        try await Task.sleep(for: .seconds(1))
        // When it exited, as the process monitor saw it (not when this test's task next got a thread).
        let exited = ExitTime()
        served.process.terminationHandler = { _ in exited.mark() }
        let stopping = Date()
        served.process.terminate()  // SIGTERM: the run holds the drain open until the grace ends
        try await Task.sleep(for: .milliseconds(300))
        let connection = try RawConnection(port: served.port)
        try connection.send(
            "POST /api/v1/runs HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(project.tokens["ci"]!)\r\n"
                + "Content-Type: application/json\r\nContent-Length: 40\r\n\r\n"
                + #"{"pipeline":"chatty","environment":"dev"}"#.prefix(40))
        let answer = await connection.receive(seconds: 10, until: "\r\n\r\n").text
        #expect(answer.hasPrefix("HTTP/1.1 503"), "\(answer)")
        #expect(answer.lowercased().contains("retry-after:"), "\(answer)")
        served.process.waitUntilExit()
        #expect(served.process.terminationStatus == 0)
        let took = (exited.at ?? Date()).timeIntervalSince(stopping)
        #expect(took < 12 + 10, "the drain took \(took) s")
        _ = go
    }

    /// Item 8, for callers without a token (who act as the anonymous role): their refusals, through the API and
    /// the web UI, cost the audit log one event per client and minute, with the count, never one per request.
    @Test func anonymousRefusalsAreCountedNotLogged() async throws {
        let served = try Self.served()
        let before = try served.project.run(as: "ops", ["audit", "--json", "--limit", "1000"]).stdout
        let firstMinute = Int(Date().timeIntervalSince1970 / 60)
        for _ in 0..<150 { #expect(try await served.get("/api/v1/audit").status == 403) }
        for _ in 0..<150 { #expect(try await served.get("/ui/flow").status == 403) }
        let minutes = Int(Date().timeIntervalSince1970 / 60) - firstMinute + 1
        served.process.terminate()
        served.process.waitUntilExit()
        let after = try served.project.run(as: "ops", ["audit", "--json", "--limit", "1000"]).stdout
        func events(_ json: String) throws -> [[String: Any]] {
            try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]] ?? []
        }
        // The service's own work (its landing watcher, say) may write events meanwhile: only the anonymous
        // caller's refusals are looked at.
        let refusals = try events(after).dropFirst(try events(before).count).compactMap {
            $0["draft"] as? [String: Any]
        }.filter { $0["principal"] as? String == "anonymous" && $0["outcome"] as? String == "denied" }
        let new = refusals.count
        let counted = try events(after).compactMap { $0["draft"] as? [String: Any] }.filter {
            $0["action"] as? String == "access"
        }
        let total = counted.compactMap { ($0["details"] as? [String: Any])?["count"] as? String }.compactMap(Int.init)
            .reduce(0, +)
        #expect(total == 300, "every refusal counted: \(counted)")
        #expect((1...minutes).contains(new), "one event per client and minute, not \(new) in \(minutes) minutes")
    }

    /// Item 8: made-up tokens cost the audit log one event per client and minute, with the count; past the
    /// limit the client gets 429 unchecked; the metrics count every one.
    @Test func madeUpTokensAreCountedNotLogged() async throws {
        let served = try Self.served()
        let before = try served.project.run(as: "ops", ["audit", "--action", "authenticate", "--json"]).stdout
        var statuses: [Int: Int] = [:]
        let firstMinute = Int(Date().timeIntervalSince1970 / 60)
        for attempt in 0..<300 {
            let answer = try await served.get("/api/v1/status", token: "sluice_made-up-\(attempt)")
            statuses[answer.status, default: 0] += 1
        }
        // The minutes the flood spanned (more than one when a loaded machine is slow, or the minute turned).
        let minutes = Int(Date().timeIntervalSince1970 / 60) - firstMinute + 1
        // 30 a minute are checked; the rest are refused unchecked.
        let refused = statuses[401] ?? 0
        let limited = statuses[429] ?? 0
        #expect((30...30 * minutes).contains(refused) && refused + limited == 300, "\(statuses)")
        let metrics = String(decoding: try await served.get("/metrics").body, as: UTF8.self)
        #expect(metrics.contains("sluice_auth_failures_total{outcome=\"refused\"} \(refused)\n"), "\(metrics)")
        #expect(metrics.contains("sluice_auth_failures_total{outcome=\"limited\"} \(limited)\n"), "\(metrics)")
        served.process.terminate()
        served.process.waitUntilExit()
        let json = try served.project.run(as: "ops", ["audit", "--action", "authenticate", "--json"]).stdout
        let events = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]])
        let previous = (try? JSONSerialization.jsonObject(with: Data(before.utf8)) as? [[String: Any]])?.count ?? 0
        let flood = events.count - previous
        #expect((1...minutes).contains(flood), "one event per client and minute, not \(flood) in \(minutes) minutes")
        let counted = events.compactMap { ($0["draft"] as? [String: Any])?["details"] as? [String: String] }.filter {
            $0["client"] == "127.0.0.1"
        }
        .reduce(0) { $0 + Int($1["count"] ?? "0")! + Int($1["refused_unchecked"] ?? "0")! }
        #expect(counted == 300, "\(events)")
        #expect(try served.project.run(as: "ops", ["audit", "verify"]).status == 0)
    }

    /// Item 9: 2,000 connections from one client that send half a request do not starve another client;
    /// the service holds few of them and closes those it holds. The slow client is a process of its own (the
    /// test process keeps its descriptors below 1,024: Foundation's `Process` breaks past that).
    @Test func slowConnectionsDoNotStarveOthers() async throws {
        let served = try Self.served()
        let script = """
            import signal, socket, sys
            signal.pthread_sigmask(signal.SIG_SETMASK, [])  # the test's thread blocks signals; its child must not
            signal.alarm(900)  # never outlives the test by long (the test kills it when it ends)
            port, count = int(sys.argv[1]), int(sys.argv[2])
            held = []
            for index in range(count):
                s = socket.socket()
                s.bind(("127.0.0.2", 0))
                s.connect(("127.0.0.1", port))
                s.send(b"GET /api/v1/status HTTP/1.1\\r\\nHost: 127.0.0.1\\r\\nX-Slow-%d: " % index)
                held.append(s)
            print("opened", len(held), flush=True)
            while sys.stdin.readline():
                closed = 0
                for s in held:
                    try:
                        closed += s.recv(1, socket.MSG_PEEK | socket.MSG_DONTWAIT) == b""
                    except BlockingIOError:
                        pass
                    except OSError:
                        closed += 1
                print("open", len(held) - closed, flush=True)
            """
        let attacker = Process()
        attacker.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        attacker.arguments = ["python3", "-c", script, "\(served.port)", "2000"]
        let input = Pipe()
        let output = Pipe()
        attacker.standardInput = input
        attacker.standardOutput = output
        try attacker.run()
        defer {
            // Not by closing its input (a process another test spawns meanwhile may hold a copy of that pipe), and
            // by SIGKILL, which no inherited signal mask blocks.
            kill(attacker.processIdentifier, SIGKILL)
            attacker.waitUntilExit()
        }
        let reader = LineReader(output.fileHandleForReading)
        func line() async throws -> String { try await Blocking.run { reader.line() } }
        func ask() async throws -> Int {
            try input.fileHandleForWriting.write(contentsOf: Data("?\n".utf8))
            return Int(try await line().split(separator: " ").last ?? "") ?? -1
        }
        let opened = try await line()
        #expect(opened.hasPrefix("opened 2000"), "\(opened)")
        // The service works through the burst, closing all but 64 of them as it accepts them (without the
        // per-client limit it held 512 and took every slot until the header timeout).
        var open = try await ask()
        let deadline = Date().addingTimeInterval(60)
        while open > 64 && Date() < deadline {
            try await Task.sleep(for: .milliseconds(200))
            open = try await ask()
        }
        #expect((0...64).contains(open), "the service holds \(open) of one client's half-sent requests")
        // A client of its own (not the test process's shared URLSession, which other tests keep busy), timed on
        // its own thread (not across this task's waits for a thread of the pool other tests share).
        let client = try RawConnection(port: served.port)
        let (status, waited) = await client.request(
            "GET /api/v1/status HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(served.project.tokens["alice"]!)\r\n\r\n",
            seconds: 30)
        #expect(status == 200)
        print("slow connections: 2000 opened; a normal client was answered after \(waited) s")
        #expect(waited < 5, "a normal client waited \(waited) s")
        // Those it holds are closed by the header timeout (10 s), not kept forever.
        try await Task.sleep(for: .seconds(12))
        #expect(try await ask() == 0, "half-sent requests outlived the header timeout")
        #expect(served.process.isRunning)
        #expect(try await served.get("/healthz").status == 200)
    }

    /// Item 12: tokens are listed without hashes; the project, the policy plan and the audit log need grants;
    /// a foreign Host is refused; an oversized body is 413, not 500.
    @Test func smallLeaksAreClosed() async throws {
        let served = try Self.served()
        let tokens = String(decoding: try await served.get("/api/v1/tokens", as: "ops").body, as: UTF8.self)
        #expect(tokens.contains("\"principal\"") && !tokens.lowercased().contains("hash"), "\(tokens)")
        #expect(try await served.get("/api/v1/project", as: "eve").status == 403)
        #expect(try await served.get("/api/v1/project", as: "alice").status == 200)
        for path in ["/api/v1/policy/plan", "/api/v1/audit", "/api/v1/audit/verify"] {
            #expect(try await served.get(path, as: "alice").status == 403, "\(path)")
            #expect(try await served.get(path, as: "eve").status == 403, "\(path)")
            #expect(try await served.get(path, as: "ops").status == 200, "\(path)")
        }
        for host in ["evil.example", "evil.example:80", "attacker.localhost.example"] {
            let connection = try RawConnection(port: served.port)
            try connection.send("GET /healthz HTTP/1.1\r\nHost: \(host)\r\n\r\n")
            #expect(await connection.status(seconds: 10) == 400, "\(host)")
        }
        for host in ["127.0.0.1", "localhost:\(served.port)", "[::1]:\(served.port)"] {
            let connection = try RawConnection(port: served.port)
            try connection.send("GET /healthz HTTP/1.1\r\nHost: \(host)\r\n\r\n")
            #expect(await connection.status(seconds: 10) == 200, "\(host)")
        }
        let huge = "{\"principal\":\"" + String(repeating: "a", count: 2 << 20) + "\"}"
        let oversized = try await served.post("/api/v1/tokens", huge, as: "ops")
        #expect(oversized.status == 413 && oversized.errorCode == "too_large", "\(oversized.status)")
    }

    /// Item 6: a step's logs are for those who may read every dataset it reads or writes, at its
    /// classification; the web UI says why a log is hidden; the command line refuses the same way.
    @Test func logsFollowWhatTheStepTouched() async throws {
        let project = try CLIProject()
        try project.edit("sluice.yaml") {
            $0.replacingOccurrences(
                of: "  analyst: { grants: [\"read:prod:curated\"] }\n",
                with:
                    "  analyst: { grants: [\"read:prod:curated\"] }\n  viewer: { grants: [\"read:*\"], classification: internal }\n"
            )
            .replacingOccurrences(
                of: "  ops: { role: admin }\n", with: "  ops: { role: admin }\n  vic: { role: viewer }\n")
                    + """
                      leaky:
                        steps:
                          show: { command: [sh, -c, 'cat "$SLUICE_INPUT_RAW_CUSTOMERS"'], inputs: [raw.customers] }

                    """
        }
        try project.commit("a step that prints what it reads")
        try project.makeTokens(["ci", "alice", "vic"])
        try project.ingestCustomers()
        let ran = try project.run(as: "ci", ["run", "leaky", "--env", "dev", "--json"])
        #expect(ran.status == 0, "\(ran.stderr)")
        let runs = try project.run(as: "ci", ["runs", "--pipeline", "leaky", "--json"]).stdout
        let id = try #require(
            (try JSONSerialization.jsonObject(with: Data(runs.utf8)) as? [[String: Any]])?.first?["id"] as? String)
        let served = try ServedProject(serving: project)
        let secret = "ada1@example.com"
        for principal in ["ci", "alice"] {
            let logs = try await served.get("/api/v1/runs/\(id)/logs", as: principal)
            #expect(logs.status == 200 && String(decoding: logs.body, as: UTF8.self).contains(secret), "\(principal)")
        }
        let vic = try await served.get("/api/v1/runs/\(id)/logs", as: "vic")
        #expect(vic.status == 403 && !String(decoding: vic.body, as: UTF8.self).contains(secret))
        #expect(try await served.get("/api/v1/runs/\(id)", as: "vic").status == 200, "the run itself stays visible")
        let followed = try await served.get("/api/v1/runs/\(id)/logs?follow=true", as: "vic")
        #expect(followed.status == 403)
        let cli = try project.run(as: "vic", ["logs", id])
        #expect(cli.status == 3 && !cli.stdout.contains(secret), "\(cli.stdout)\(cli.stderr)")
        // Anonymous visitors of the UI (role anonymous: internal data only) see why, not the output.
        let page = try await WebClient(port: served.port).get("/ui/runs/\(id)")
        #expect(page.status == 200)
        #expect(page.body.contains("Logs hidden") && page.body.contains("raw.customers"), "\(page.body)")
        #expect(!page.body.contains(secret))
    }

    /// Item 11: one token holder cannot sign everyone else out by filling the session table.
    @Test func sessionsAreCappedPerPrincipal() async throws {
        let sessions = WebSessions(limit: 100, limitPerPrincipal: 10)
        let bob = await sessions.create(token: "b", principal: "bob")
        var alice: [WebSessions.Session] = []
        for index in 0..<500 {
            alice.append(
                await sessions.create(token: "a", principal: "alice", now: Date().addingTimeInterval(Double(index))))
        }
        #expect(await sessions.session(bob.id) != nil, "bob was signed out by alice's sessions")
        var live = 0
        for session in alice where await sessions.session(session.id, now: Date().addingTimeInterval(500)) != nil {
            live += 1
        }
        #expect(live == 10)
        #expect(await sessions.session(alice.last!.id, now: Date().addingTimeInterval(500)) != nil, "the newest stays")
    }

    /// Item 11: one principal has at most `--max-runs-per-principal` runs going on through the API.
    @Test func runsAreCappedPerPrincipal() async throws {
        let (project, go) = try ServedProject.talkingProject(before: "echo started", after: "true")
        try project.ingestCustomers()
        let served = try ServedProject(serving: project, arguments: ["--max-runs-per-principal", "2"])
        var statuses: [Int] = []
        for _ in 0..<3 {
            statuses.append(
                try await served.post("/api/v1/runs", #"{"pipeline":"chatty","environment":"dev"}"#, as: "alice").status
            )
        }
        #expect(statuses == [202, 202, 429], "\(statuses)")
        #expect(
            try await served.post("/api/v1/runs", #"{"pipeline":"chatty","environment":"dev"}"#, as: "ci").status
                == 202,
            "another principal is not held up")
        _ = FileManager.default.createFile(atPath: go, contents: Data())
        var answered = 0
        for _ in 0..<100 where answered != 202 {
            try await Task.sleep(for: .milliseconds(200))
            answered = try await served.post("/api/v1/runs", #"{"pipeline":"chatty","environment":"dev"}"#, as: "alice")
                .status
        }
        #expect(answered == 202, "alice may run again once hers ended")
    }

    /// Items 11, 4 and 12: after a kill -9 of the service its steps do not go on; the next start removes the
    /// spool files, the run's private folder and the copy of the project it left; and once its heartbeat is old the run reads as
    /// abandoned, not running, in the API (and filters by that).
    @Test func stepsDieWithAKilledServiceAndItsLeftoversAreSwept() async throws {
        let (project, pidFile) = try ServedProject.projectWatching("pid", commit: "a step that waits") { pid in
            """
              waits:
                steps:
                  wait: { command: [sh, -c, 'echo $$ > "$1"; exec sleep 600', sh, "\(pid)"] }

            """
        }
        try project.ingestCustomers()
        let served = try ServedProject(serving: project)
        let started = try await served.post("/api/v1/runs", #"{"pipeline":"waits","environment":"dev"}"#, as: "ci")
        #expect(started.status == 202, "\(started.object)")
        let run = try #require(started.object["id"] as? String)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-run-\(run)")
        var step: Int32?
        for _ in 0..<150 where step == nil {
            try await Task.sleep(for: .milliseconds(200))
            step = Int32(
                ((try? String(contentsOfFile: pidFile, encoding: .utf8)) ?? "").trimmingCharacters(
                    in: .whitespacesAndNewlines))
        }
        let pid = try #require(step, "the step never started")
        #expect(kill(pid, 0) == 0)
        // A spool file as a killed service leaves it (a pid that no longer runs), and one of a live process.
        let temporary = FileManager.default.temporaryDirectory
        let dead = temporary.appendingPathComponent("sluice-spool-\(try Self.finishedPID())-\(UUID().uuidString)")
        let live = temporary.appendingPathComponent("sluice-spool-\(getpid())-\(UUID().uuidString)")
        for file in [dead, live] { _ = FileManager.default.createFile(atPath: file.path, contents: Data("x".utf8)) }
        defer { try? FileManager.default.removeItem(at: live) }
        // The copy of the committed project the service runs from, named after the service's process.
        func copies(of service: Process) throws -> [String] {
            try FileManager.default.contentsOfDirectory(atPath: temporary.path).filter {
                $0.hasPrefix("sluice-rev-\(service.processIdentifier)-")
            }
        }
        #expect(try copies(of: served.process).count == 1)
        kill(served.process.processIdentifier, SIGKILL)
        served.process.waitUntilExit()
        #expect(await processEnds(pid), "the step outlived the killed service")
        let again = try ServedProject(serving: project)
        #expect(try await again.get("/healthz").status == 200)
        #expect(!FileManager.default.fileExists(atPath: dead.path), "the killed service's spool file stayed")
        #expect(FileManager.default.fileExists(atPath: live.path), "a live process's spool file was removed")
        #expect(!FileManager.default.fileExists(atPath: folder.path), "the killed run's folder stayed")
        #expect(try copies(of: served.process).isEmpty, "the killed service's copy of the project stayed")
        #expect(try await again.get("/api/v1/runs/\(run)", as: "ci").object["status"] as? String == "running")
        _ = try project.sqlite(  // more than a minute without a beat
            """
            UPDATE runs SET heartbeat_at = 0,
                content = CAST(json_set(CAST(content AS TEXT), '$.heartbeatAt', 0) AS BLOB) WHERE id = '\(run)'
            """)
        #expect(try await again.get("/api/v1/runs/\(run)", as: "ci").object["status"] as? String == "abandoned")
        let abandoned =
            try await again.get("/api/v1/runs?status=abandoned", as: "ci").object["items"] as? [[String: Any]]
        #expect(abandoned?.map { $0["id"] as? String } == [run])
        let running = try await again.get("/api/v1/runs?status=running", as: "ci").object["items"] as? [[String: Any]]
        #expect(running?.isEmpty == true)
        let listed = try project.run(as: "ci", ["runs", "--json"]).stdout
        #expect(listed.contains(#""status":"abandoned""#) || listed.contains(#""status" : "abandoned""#), "\(listed)")
    }

    /// The pid of a process that ran and ended (so no process has it now, barring reuse).
    static func finishedPID() throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/true")
        try process.run()
        process.waitUntilExit()
        return process.processIdentifier
    }
}

/// Lines from a pipe, read as they come (a read may hold part of a line, or several).
final class LineReader: @unchecked Sendable {
    private let handle: FileHandle
    private var pending = ""

    init(_ handle: FileHandle) { self.handle = handle }

    /// The next line without its break; what is left when the pipe ends.
    func line() -> String {
        while !pending.contains("\n") {
            let data = handle.availableData
            if data.isEmpty { break }
            pending += String(decoding: data, as: UTF8.self)
        }
        let parts = pending.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
        pending = parts.count > 1 ? String(parts[1]) : ""
        return String(parts.first ?? "")
    }
}

/// When a process exited, as Foundation's process monitor saw it.
final class ExitTime: @unchecked Sendable {
    private let lock = NSLock()
    private var time: Date?
    func mark() { lock.withLock { time = Date() } }
    var at: Date? { lock.withLock { time } }
}
