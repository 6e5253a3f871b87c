import Foundation
import SluiceTestSupport
import Testing

/// `sluice run`, `runs` and `logs` on the scaffolded project's SQL pipeline, through the built binary.
@Suite struct RunCommandTests {
    @Test func runListShowAndLogs() throws {
        let project = try CLIProject()
        try project.makeTokens()
        try project.ingestCustomers()
        #expect(try project.run(as: "alice", ["ingest", "orders_drop"]).status == 0)
        #expect(try project.run(as: "ci", ["promote", "--from", "dev", "--to", "prod"]).status == 0)
        let ran = try project.run(as: "ci", ["run", "daily", "--env", "dev"])
        #expect(ran.status == 0, "\(ran.stderr)")
        #expect(ran.stdout.contains("clean_orders") && ran.stdout.contains("succeeded: commit"), "\(ran.stdout)")
        // Issue 11 item 13: a line as each step starts and ends, before the summary.
        let lines = ran.stdout.split(separator: "\n").map(String.init)
        let started = try #require(lines.firstIndex { $0.hasSuffix(" clean_orders started") }, "\(ran.stdout)")
        let finished = try #require(lines.firstIndex { $0.contains(" clean_orders succeeded in ") }, "\(ran.stdout)")
        let table = try #require(lines.firstIndex { $0.hasPrefix("STEP") })
        #expect(started < finished && finished < table)
        let revenue = try project.run(as: "alice", ["cat", "curated.revenue_by_country", "--env", "dev"])
        #expect(revenue.status == 0 && revenue.stdout.contains("GB"), "\(revenue.stdout) \(revenue.stderr)")

        let listed = try project.run(as: "alice", ["runs", "--json"])
        let runs = try #require(try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [[String: Any]])
        #expect(runs.count == 1 && runs[0]["status"] as? String == "succeeded")
        let id = try #require(runs[0]["id"] as? String)
        let shown = try project.run(as: "alice", ["runs", "show", id])
        #expect(shown.status == 0 && shown.stdout.contains("landed as commit"), "\(shown.stdout)")
        let logs = try project.run(as: "alice", ["logs", id, "clean_orders"])
        #expect(logs.status == 0 && logs.stdout.contains("loaded raw.orders: 1 rows"), "\(logs.stdout)")

        let status = try project.run(as: "alice", ["status"])
        #expect(
            status.stdout.contains("pipeline daily: 2 steps, schedule 0 6 * * *, last run \(id) succeeded in dev"),
            "\(status.stdout)")
        let again = try project.run(as: "ci", ["run", "daily", "--env", "dev"])
        #expect(again.status == 0 && again.stdout.contains("cached"), "\(again.stdout)")
        #expect(try project.run(as: "ci", ["run", "nope"]).status == 2)
        #expect(try project.run(as: "ci", ["logs", "no-such-run"]).status == 2)
        // Into the protected environment only by write-audit-publish, by a principal who may promote.
        #expect(try project.run(as: "alice", ["run", "daily", "--env", "prod"]).status == 3)
        let published = try project.run(as: "ci", ["run", "daily", "--env", "prod"])
        #expect(
            published.status == 0 && published.stdout.contains("published from staging/"),
            "\(published.stdout) \(published.stderr)")
        let prod = try project.run(as: "alice", ["cat", "curated.revenue_by_country", "--env", "prod"])
        #expect(prod.status == 0 && prod.stdout.contains("GB"), "\(prod.stderr)")
    }

    @Test func ecsLogLinesParseWithTheRequiredFieldsAndOneTraceID() throws {
        let project = try CLIProject()
        try project.makeTokens()
        try project.ingestCustomers()
        #expect(try project.run(as: "alice", ["ingest", "orders_drop"]).status == 0)
        let ran = try project.run(as: "ci", ["run", "daily", "--log-format", "ecs"])
        #expect(ran.status == 0, "\(ran.stderr)")
        let lines = ran.stderr.split(separator: "\n").map(String.init)
        #expect(lines.count >= 6, "\(ran.stderr)")
        var traces = Set<String>()
        for line in lines {
            let object = try #require(
                try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "not JSON: \(line)")
            for key in ["@timestamp", "log.level", "message", "ecs.version", "service.name"] {
                #expect(object[key] is String, "\(key) missing in \(line)")
            }
            // ecs-logging: the first keys are @timestamp, log.level, message.
            #expect(line.hasPrefix("{\"@timestamp\":"), "\(line)")
            let order = ["\"@timestamp\"", "\"log.level\"", "\"message\"", "\"ecs.version\""].map {
                line.range(of: $0)?.lowerBound
            }
            #expect(order.compactMap { $0 }.count == 4 && order.compactMap { $0 } == order.compactMap { $0 }.sorted())
            if let trace = object["trace.id"] as? String { traces.insert(trace) }
        }
        #expect(traces.count == 1, "one trace id per run: \(traces)")
        #expect(lines.contains { $0.contains("\"event.action\":\"step-finished\"") })
        #expect(try project.run(["runs", "--log-format", "xml"]).status == 2)
    }

    /// Issue 11 item 13: on a terminal (a pseudo-terminal made by `script`), the running steps and a progress
    /// bar are redrawn in place while each ended step prints its line for good; the summary follows.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script")))
    func onATerminalRunningStepsAreALiveBlockWithAProgressBar() throws {
        let project = try CLIProject()
        try project.makeTokens()
        try project.edit("sluice.yaml") {
            $0 + """
                  slow:
                    steps:
                      first: { command: [sh, -c, 'sleep 0.7'] }
                      second: { command: [sh, -c, 'sleep 0.7'], after: [first] }

                """
        }
        try project.commit("a slow pipeline")
        let script = Process()
        script.executableURL = URL(fileURLWithPath: "/usr/bin/script")
        script.arguments = ["-qec", "'\(SluiceBinary.url.path)' run slow", "/dev/null"]
        script.currentDirectoryURL = project.folder
        var environment = ProcessInfo.processInfo.environment
        environment["SLUICE_TOKEN"] = project.tokens["ci"]
        environment["TERM"] = "xterm"
        script.environment = environment
        let text = String(decoding: try ProcessCapture.run(script).stdout, as: UTF8.self)
        #expect(script.terminationStatus == 0, "\(text)")
        #expect(text.contains("first") && text.contains("running"), "\(text.debugDescription)")
        #expect(text.contains("] 0/2 steps") && text.contains("] 1/2 steps"), "\(text.debugDescription)")
        #expect(text.contains("\u{1B}[J"), "the block is erased and drawn again in place")
        let summary = try #require(text.range(of: "STEP"), "\(text.debugDescription)")
        #expect(text.range(of: "second succeeded in ")!.lowerBound < summary.lowerBound)
        #expect(!text[summary.lowerBound...].contains("steps  "), "no block is left under the summary")
    }

    /// Issue 12 item 0: lists are paged, newest first, with the cursor of the next page on standard error.
    @Test func runsAndAuditArePaged() throws {
        let project = try CLIProject()
        try project.makeTokens()
        try project.ingestCustomers()
        #expect(try project.run(as: "alice", ["ingest", "orders_drop"]).status == 0)
        for _ in 0..<2 { #expect(try project.run(as: "ci", ["run", "daily", "--env", "dev"]).status == 0) }
        let all = try project.run(as: "alice", ["runs", "--json"])
        let ids = try #require(try JSONSerialization.jsonObject(with: Data(all.stdout.utf8)) as? [[String: Any]])
            .compactMap { $0["id"] as? String }
        #expect(ids.count == 2)
        let first = try project.run(as: "alice", ["runs", "--limit", "1"])
        #expect(first.stdout.contains(ids[0]) && !first.stdout.contains(ids[1]), "\(first.stdout)")
        let cursor = try #require(
            first.stderr.split(separator: " ").last?.trimmingCharacters(in: .whitespacesAndNewlines))
        let second = try project.run(as: "alice", ["runs", "--limit", "1", "--after", cursor])
        #expect(second.stdout.contains(ids[1]) && !second.stdout.contains(ids[0]), "\(second.stdout)")
        #expect(try project.run(as: "alice", ["runs", "--after", "nope"]).status == 2)
        let failed = try project.run(as: "alice", ["runs", "--status", "failed", "--json"]).stdout
        #expect((try JSONSerialization.jsonObject(with: Data(failed.utf8)) as? [Any])?.isEmpty == true, "\(failed)")

        let paged = try project.run(as: "ops", ["audit", "--action", "run", "--limit", "1", "--json"])
        let events = try #require(try JSONSerialization.jsonObject(with: Data(paged.stdout.utf8)) as? [[String: Any]])
        #expect(events.count == 1)
        #expect(try project.run(as: "ops", ["audit", "--outcome", "maybe"]).status == 2)
    }

    @Test func stepTestsOfTheScaffoldPassAndAChangedExpectationFails() throws {
        let project = try CLIProject()
        let passed = try project.run(["test"])
        #expect(passed.status == 0 && passed.stdout.contains("2 tests, 0 failed"), "\(passed.stdout) \(passed.stderr)")
        #expect(!FileManager.default.fileExists(atPath: project.database), "the project's store is not touched")
        try project.write("tests/revenue/expected.csv", "country,revenue,orders\nGB,99,2\n")
        let failed = try project.run(["test", "daily", "--step", "revenue"])
        #expect(failed.status == 1, "\(failed.stdout)")
        #expect(failed.stdout.contains("FAIL daily.revenue sums_per_country") && failed.stdout.contains("at line 2"))
    }
}
