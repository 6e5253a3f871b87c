import Foundation
import SluiceTestSupport
import Testing

/// Issue 14 item 2: the service judges the project's `alerts:` and sends each firing and resolved alert to a
/// real Alertmanager (which routes it to a receiver) and to plain webhooks, from an outbox that a restart
/// does not empty.
@Suite("Alerting", .serialized)
struct AlertingTests {
    /// A project whose pipeline `flaky` fails until the file `ok` exists, with `alerts` appended.
    static func flakyProject(alerts: String) throws -> (CLIProject, ok: String) {
        try ServedProject.projectWatching("ok", commit: "a pipeline that fails until told otherwise, and alerts") {
            """
              flaky:
                steps:
                  check: { command: [sh, -c, 'test -e "$1"', sh, "\($0)"] }
            \(alerts)
            """
        }
    }

    static func rules(_ receivers: String) -> String {
        """
        alerts:
        \(receivers)
          evaluate_every: 1s
          resend_every: 2s
          rules:
            - { name: PipelineFailed, when: run_failed, pipelines: [flaky], labels: { team: data } }

        """
    }

    /// Starts a run of `flaky` through the API and waits for its end; its id and status.
    static func run(_ served: ServedProject) async throws -> (id: String, status: String) {
        let started = try await served.post("/api/v1/runs", #"{"pipeline": "flaky", "environment": "dev"}"#, as: "ci")
        let id = try #require(started.object["id"] as? String, "\(started.object)")
        for _ in 0..<300 {
            let status = try await served.get("/api/v1/runs/\(id)", as: "ci").object["status"] as? String
            if let status, status != "running" { return (id, status) }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw CLIError(message: "run \(id) did not end")
    }

    static func alerts(_ payload: [String: Any]) -> [[String: Any]] { payload["alerts"] as? [[String: Any]] ?? [] }

    static func labels(_ payload: [String: Any]) -> [String: String] {
        alerts(payload).first?["labels"] as? [String: String] ?? [:]
    }

    /// A real Alertmanager on a free loopback port (gossip off) routing every alert to `webhook`.
    static func alertmanager(webhook: String, in folder: URL) async throws -> (Process, port: Int) {
        let binary = try #require(ExternalTool.alertmanager, "the test command installs prometheus-alertmanager")
        let config = folder.appendingPathComponent("alertmanager.yml")
        try Data(
            """
            route:
              receiver: test
              group_by: [alertname]
              group_wait: 1s
              group_interval: 1s
              repeat_interval: 1h
            receivers:
              - name: test
                webhook_configs:
                  - { url: "\(webhook)", send_resolved: true }

            """.utf8
        ).write(to: config)
        let port = try MetricsTests.freePort()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary.path)
        process.arguments = [
            "--config.file=\(config.path)", "--storage.path=\(folder.appendingPathComponent("data").path)",
            "--web.listen-address=127.0.0.1:\(port)", "--cluster.listen-address=",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        for _ in 0..<100 {
            if (try? await MetricsTests.fetch("http://127.0.0.1:\(port)/-/ready"))?.isEmpty == false { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        return (process, port)
    }

    @Test("a failed run fires an alert through a real Alertmanager to its receiver; the next success resolves it")
    func throughAlertmanager() async throws {
        let receiver = try await TestReceiver()
        defer { receiver.stop() }
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-am-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let (manager, managerPort) = try await Self.alertmanager(
            webhook: "http://127.0.0.1:\(receiver.port)/alertmanager", in: folder)
        defer {
            manager.terminate()
            manager.waitUntilExit()
        }
        let (project, ok) = try Self.flakyProject(
            alerts: Self.rules("  alertmanagers: [\"http://127.0.0.1:\(managerPort)\"]"))
        let served = try ServedProject(serving: project)
        let failed = try await Self.run(served)
        #expect(failed.status == "failed")

        let firing = try #require(
            try await receiver.waitFor("/alertmanager") { $0["status"] as? String == "firing" },
            "Alertmanager passed no firing alert on")
        #expect(firing["version"] as? String == "4")
        let labels = Self.labels(firing)
        #expect(labels["alertname"] == "PipelineFailed")
        #expect(labels["pipeline"] == "flaky" && labels["environment"] == "dev")
        #expect(labels["severity"] == "critical" && labels["team"] == "data")
        let alert = try #require(Self.alerts(firing).first)
        #expect(alert["generatorURL"] as? String == "http://127.0.0.1:\(served.port)/ui/runs/\(failed.id)")
        let annotations = alert["annotations"] as? [String: String] ?? [:]
        #expect(annotations["summary"] == "pipeline flaky failed in dev")
        #expect(annotations["run_id"] == failed.id)

        _ = FileManager.default.createFile(atPath: ok, contents: Data())
        #expect(try await Self.run(served).status == "succeeded")
        let resolved = try #require(
            try await receiver.waitFor("/alertmanager") { $0["status"] as? String == "resolved" },
            "Alertmanager passed no resolution on")
        #expect(Self.labels(resolved) == labels)
        #expect(Self.alerts(resolved).first?["annotations"] as? [String: String] == annotations)
    }

    @Test("webhooks get Alertmanager's payload; an alert queued while the receiver is down survives a restart")
    func webhookOutboxSurvivesRestart() async throws {
        let port = try MetricsTests.freePort()
        let (project, ok) = try Self.flakyProject(
            alerts: Self.rules("  webhooks: [\"http://127.0.0.1:\(port)/hook\"]"))
        var served = try ServedProject(serving: project)
        let failed = try await Self.run(served)
        #expect(failed.status == "failed")
        // Nothing listens yet: the message is tried, fails, and stays.
        var attempts = ""
        for _ in 0..<100 {
            attempts = try project.sqlite("SELECT attempts FROM outbox")
            if let count = Int(attempts.trimmingCharacters(in: .whitespacesAndNewlines)), count >= 1 { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(Int(attempts.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0 >= 1, "outbox: \(attempts)")
        served.process.terminate()
        served.process.waitUntilExit()

        let receiver = try await TestReceiver(port: port)
        defer { receiver.stop() }
        served = try ServedProject(serving: project)
        let firing = try #require(
            try await receiver.waitFor("/hook") { $0["status"] as? String == "firing" }, "the queued alert was lost")
        #expect(firing["version"] as? String == "4")
        #expect(firing["receiver"] as? String == "sluice")
        #expect(firing["groupKey"] as? String == #"{}:{alertname="PipelineFailed"}"#)
        #expect(firing["groupLabels"] as? [String: String] == ["alertname": "PipelineFailed"])
        let alert = try #require(Self.alerts(firing).first)
        #expect((alert["fingerprint"] as? String)?.count == 16)
        #expect((alert["generatorURL"] as? String)?.hasSuffix("/ui/runs/\(failed.id)") == true)

        _ = FileManager.default.createFile(atPath: ok, contents: Data())
        #expect(try await Self.run(served).status == "succeeded")
        let resolved = try #require(try await receiver.waitFor("/hook") { $0["status"] as? String == "resolved" })
        #expect(Self.labels(resolved) == Self.labels(firing))
        #expect(Self.alerts(resolved).first?["fingerprint"] as? String == alert["fingerprint"] as? String)
        // Delivery is at least once (a post whose answer came too late is sent again), but each change is one
        // announcement: the firing and the resolution of one alert.
        let posts = await receiver.objects(at: "/hook")
        let announced = Set(posts.map { "\($0["status"] ?? "") \(Self.alerts($0).first?["fingerprint"] ?? "")" })
        #expect(announced.count == 2, "each change announced once: \(posts.map { $0["status"] ?? "" })")
    }
}
