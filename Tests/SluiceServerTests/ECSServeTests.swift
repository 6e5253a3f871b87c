import Foundation
import SluiceTestSupport
import Testing

/// Issue 14 item 4: `sluice --log-format ecs serve` writes only ECS JSON, and every line written while a run goes
/// on (the runner's, the audit's) carries the run's `trace.id`; audit lines name the principal as `user.name`.
@Suite struct ECSServeTests {
    @Test func theServiceLogsECSWithTheRunsTraceOnEveryLineOfTheRun() async throws {
        let project = try CLIProject()
        try project.makeTokens()
        try project.ingestCustomers()
        #expect(try project.run(as: "alice", ["ingest", "orders_drop"]).status == 0)
        try project.edit("sluice.yaml") {
            $0 + """
                  broken:
                    steps:
                      fail: { command: [sh, -c, 'echo no >&2; exit 3'] }

                """
        }
        try project.commit("a pipeline that fails")
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-ecs-\(UUID().uuidString).log")
        defer { try? FileManager.default.removeItem(at: log) }
        let (process, out, _) = try project.sluice.start(
            ["--log-format", "ecs", "serve", "--port", "0"], environment: ["SLUICE_LOG_LEVEL": "info"],
            stderrFile: log)
        defer { if process.isRunning { process.terminate() } }
        let port = try ServedProject.port(from: out, process: process)
        let client = WebClient(port: port)
        let token = project.tokens["ci"]!
        let started = try await client.send(
            "/api/v1/runs", method: "POST", body: #"{"pipeline": "daily", "environment": "dev"}"#, token: token)
        let id = try #require(
            (try JSONSerialization.jsonObject(with: Data(started.body.utf8)) as? [String: Any])?["id"] as? String)
        var run: [String: Any] = [:]
        for _ in 0..<200 {
            let answer = try await client.send("/api/v1/runs/\(id)", method: "GET", body: nil, token: token)
            run = (try? JSONSerialization.jsonObject(with: Data(answer.body.utf8)) as? [String: Any]) ?? [:]
            if run["status"] as? String != "running" { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(run["status"] as? String == "succeeded")
        let trace = try #require(run["traceID"] as? String)
        let broken = try await client.send(
            "/api/v1/runs", method: "POST", body: #"{"pipeline": "broken", "environment": "dev"}"#, token: token)
        let failedID = try #require(
            (try JSONSerialization.jsonObject(with: Data(broken.body.utf8)) as? [String: Any])?["id"] as? String)
        for _ in 0..<200 {
            let answer = try await client.send("/api/v1/runs/\(failedID)", method: "GET", body: nil, token: token)
            if !answer.body.contains(#""status":"running""#) { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        process.terminate()
        process.waitUntilExit()

        let lines = try String(contentsOf: log, encoding: .utf8).split(separator: "\n")
        #expect(lines.count > 5)
        var ofTheRun: [[String: Any]] = []
        var failures: [[String: Any]] = []
        for line in lines {
            let object = try #require(
                try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "not JSON: \(line)")
            for key in ["@timestamp", "log.level", "message", "ecs.version", "service.name"] {
                #expect(object[key] != nil, "\(key) missing: \(line)")
            }
            if object["trace.id"] as? String == trace { ofTheRun.append(object) }
            if (object["labels"] as? [String: Any])?["run_id"] as? String == failedID, object["error.message"] != nil {
                failures.append(object)
            }
            let labels = object["labels"] as? [String: Any] ?? [:]
            // Issue 22 item 13: the service's own line that the failed run ended carries its trace too.
            if labels["run_id"] as? String == failedID || labels["run.id"] as? String == failedID
                || object["run.id"] as? String == failedID
            {
                #expect(object["trace.id"] != nil, "a line of the failed run without its trace: \(line)")
            }
            if labels["run_id"] as? String == id {
                #expect(object["trace.id"] as? String == trace, "a line of the run without its trace: \(line)")
            }
        }
        // The run's own lines and the audit lines written while it went on share its trace.
        #expect(ofTheRun.contains { ($0["message"] as? String) == "run started" })
        let audit = ofTheRun.filter { $0["event.kind"] as? String == "event" }
        #expect(!audit.isEmpty, "no audit line carries the run's trace")
        #expect(audit.allSatisfy { $0["event.action"] != nil && $0["event.outcome"] != nil })
        let strays = ofTheRun.filter { $0["user.name"] as? String != "ci" }
        #expect(strays.isEmpty, "every line of the run names who started it: \(strays)")
        // Failures carry error.message and error.type: the attempt, the step and the run.
        #expect(
            Set(failures.compactMap { $0["error.type"] as? String }) == ["AttemptFailed", "StepFailed", "RunFailed"])
        #expect(failures.allSatisfy { $0["log.level"] as? String != "info" })
    }
}
