import Foundation
import SluiceStore
import Testing

@testable import SluiceCore

/// Issue 14 item 2: every alert condition, judged on facts read from a real store after real operations,
/// fires when it should and not otherwise, with bounded labels and links into the web UI; a firing alert
/// is announced once and resolved with the labels and annotations it fired with.
@Suite struct AlertEvaluatorTests {
    static let alerts = """
        alerts:
          webhooks: [http://127.0.0.1:9/hook]
          alertmanagers: [http://127.0.0.1:9093/]
          rules:
            - { name: PipelineFailed, when: run_failed, labels: { team: data } }
            - { name: PipelineSlow, when: run_slow, over: 10m }
            - { name: GateFailed, when: gate_failed }
            - { name: GateWarned, when: gate_warned }
            - { name: Quarantine, when: quarantine_share, over: 20% }
            - { name: Stale, when: freshness, over: 2d, environments: [dev] }
            - { name: GCFailed, when: gc_failed }
            - { name: Expiring, when: environment_expiring, within: 8d, environments: ["sandbox/*"] }
            - { name: ProdDenied, when: protected_denial, hold: 15m }

        """

    static func harness() throws -> Harness {
        var files = Fixture.files
        let amount = "      amount: { type: decimal, min: 0 }\n"
        let stricter =
            amount + "      note: { type: string, max_length: 3, severity: warn }\n"
            + "    on_invalid: quarantine_rows\n    max_invalid_ratio: 0.5\n"
        #expect(Fixture.projectYAML.contains(amount))
        files["sluice.yaml"] = Fixture.projectYAML.replacingOccurrences(of: amount, with: stricter) + alerts
        files["landing/orders/a.csv"] = "order_id,amount,note\n1,10.5,ok\n2,-1,ok\n3,4,long\n4,5,ok\n"
        return try Harness(files: files)
    }

    /// The store as the engine sees it (its methods may throw).
    func store(_ harness: Harness) -> any MetadataStore { harness.metadata }

    func facts(_ harness: Harness, at now: Timestamp) async throws -> AlertFacts {
        try await AlertFacts.read(
            harness.workspace("ops"), now: now, deniedSince: Timestamp(milliseconds: now.milliseconds - 3_600_000))
    }

    func firing(_ harness: Harness, at now: Timestamp) async throws -> [String: AlertRecord] {
        let evaluator = AlertEvaluator(project: harness.project, externalURL: "https://sluice.example.com/")
        let alerts = evaluator.firing(try await facts(harness, at: now))
        return Dictionary(alerts.map { ("\($0.labels["alertname"]!) \($0.labels["environment"] ?? "")", $0) }) { a, _ in
            a
        }
    }

    func run(_ harness: Harness, _ id: String, status: RunStatus, minutes: Int64) async throws {
        let start = harness.now()
        var run = RunRecord(
            id: id, pipeline: "daily", environment: "dev", principal: "ci", traceID: "t", gitCommit: nil,
            baseCommit: nil, maxParallel: 1, startedAt: start, steps: [])
        run.status = status
        if status != .running { run.endedAt = Timestamp(milliseconds: start.milliseconds + minutes * 60_000) }
        run.message = status == .failed ? "step clean failed: exit 1" : nil
        try await store(harness).saveRun(run)
    }

    @Test("runs: the newest finished run failing fires; a slow run fires while it goes on; a success resolves")
    func runConditions() async throws {
        let harness = try Self.harness()
        try await run(harness, "r1", status: .failed, minutes: 1)
        var now = harness.now()
        var alerts = try await firing(harness, at: now)
        let failed = try #require(alerts["PipelineFailed dev"])
        #expect(
            failed.labels == [
                "alertname": "PipelineFailed", "severity": "critical", "project": "shop", "pipeline": "daily",
                "environment": "dev", "team": "data",
            ])
        #expect(failed.annotations["run_id"] == "r1")
        #expect(failed.annotations["description"]?.contains("exit 1") == true)
        #expect(failed.generatorURL == "https://sluice.example.com/ui/runs/r1")
        #expect(alerts["PipelineSlow dev"] == nil)
        // Running for 11 minutes: slow, while the failed one still counts as the newest finished.
        try await run(harness, "r2", status: .running, minutes: 0)
        now = Timestamp(milliseconds: harness.now().milliseconds + 11 * 60_000)
        alerts = try await firing(harness, at: now)
        #expect(alerts["PipelineSlow dev"]?.annotations["run_id"] == "r2")
        #expect(alerts["PipelineFailed dev"] != nil)
        try await run(harness, "r3", status: .succeeded, minutes: 2)
        alerts = try await firing(harness, at: harness.now())
        #expect(alerts["PipelineFailed dev"] == nil)
        #expect(alerts["PipelineSlow dev"] == nil)
    }

    @Test("gates: quarantined share, warnings and failures of the newest gate result of each dataset")
    func gateConditions() async throws {
        let harness = try Self.harness()
        _ = try await harness.workspace("alice").ingest(source: "orders_drop", environment: "dev")
        let alerts = try await firing(harness, at: harness.now())
        let quarantine = try #require(alerts["Quarantine dev"], "\(alerts.keys.sorted())")
        #expect(quarantine.labels["dataset"] == "raw.orders")
        #expect(quarantine.annotations["description"]?.hasPrefix("25% of 4 rows quarantined") == true)
        #expect(quarantine.generatorURL == "https://sluice.example.com/ui/quality")
        #expect(alerts["GateWarned dev"]?.annotations["description"]?.contains("note") == true)
        #expect(alerts["GateFailed dev"] == nil)
        // A batch with too many bad rows is refused whole: the gate failed and all of its rows are held back.
        try harness.writeLanding("a.csv", "order_id,amount,note\n5,-1,ok\n6,-2,ok\n7,3,ok\n")
        await #expect(throws: (any Error).self) {
            _ = try await harness.workspace("alice").ingest(source: "orders_drop", environment: "dev")
        }
        let refused = try await firing(harness, at: harness.now())
        #expect(
            refused["GateFailed dev"]?.annotations["description"]?.hasPrefix("the newest gate result failed") == true)
        #expect(refused["Quarantine dev"]?.annotations["description"]?.hasPrefix("100% of 3 rows") == true)
    }

    @Test("freshness: a dataset whose version in a watched environment is older than the limit")
    func freshness() async throws {
        let harness = try Self.harness()
        _ = try await harness.workspace("alice").ingest(source: "orders_drop", environment: "dev")
        #expect(try await firing(harness, at: harness.now())["Stale dev"] == nil)
        harness.advance(days: 3)
        let stale = try #require(try await firing(harness, at: harness.now())["Stale dev"])
        #expect(stale.labels["dataset"] == "raw.orders")
        #expect(stale.generatorURL == "https://sluice.example.com/ui/datasets/raw.orders?env=dev")
    }

    @Test("environments expiring, denials on protected environments and failed collections")
    func storeConditions() async throws {
        let harness = try Self.harness()
        let alice = harness.workspace("alice")
        _ = try await alice.ingest(source: "orders_drop", environment: "dev")
        _ = try await alice.createEnvironment("sandbox/x-1", from: "dev", ttl: nil)
        await #expect(throws: AccessDenied.self) {
            _ = try await alice.ingest(source: "orders_drop", environment: "prod")
        }
        _ = try await store(harness).appendAudit(
            AuditDraft(
                time: harness.now(), principal: "ci", authentication: .service, action: "gc", target: "store",
                outcome: .failed, details: ["reason": "disk full"]))
        var alerts = try await firing(harness, at: harness.now())
        let expiring = try #require(alerts["Expiring sandbox/x-1"], "\(alerts.keys.sorted())")
        #expect(expiring.generatorURL == "https://sluice.example.com/ui/environments/sandbox%2Fx-1")
        let denied = try #require(alerts["ProdDenied prod"])
        #expect(denied.labels["action"] == "ingest")
        #expect(denied.annotations["description"]?.contains("alice") == true)
        #expect(denied.labels["principal"] == nil, "principals are not labels")
        #expect(alerts["GCFailed "]?.annotations["description"] == "disk full")
        // A collection that succeeds resolves the failure; the denial ages out after its hold.
        _ = try await harness.workspace("ci").collectGarbage(dryRun: false)
        harness.advance(days: 1)
        alerts = try await firing(harness, at: harness.now())
        #expect(alerts["GCFailed "] == nil)
        #expect(alerts["ProdDenied prod"] == nil)
    }

    @Test("a firing alert is announced once, and resolved with the labels and annotations it fired with")
    func keeperAnnouncesOnce() async throws {
        let harness = try Self.harness()
        try await run(harness, "r1", status: .failed, minutes: 1)
        let keeper = AlertKeeper(project: harness.project, externalURL: "http://s", metadata: harness.metadata)
        let first = try await keeper.evaluate(try await facts(harness, at: harness.now()))
        #expect(first.fired.map { $0.labels["alertname"] } == ["PipelineFailed"])
        let again = try await keeper.evaluate(try await facts(harness, at: harness.now()))
        #expect(again.fired.isEmpty && again.resolved.isEmpty)
        var pending = try await store(harness).pendingOutbox()
        #expect(pending.map(\.channel) == ["alertmanager", "webhook"])
        #expect(pending[0].destination == "http://127.0.0.1:9093/api/v2/alerts")
        let firing = try #require(try JSONSerialization.jsonObject(with: pending[1].body) as? [String: Any])
        #expect(firing["version"] as? String == "4")
        #expect(firing["status"] as? String == "firing")

        try await run(harness, "r2", status: .succeeded, minutes: 1)
        let last = try await keeper.evaluate(try await facts(harness, at: harness.now()))
        #expect(last.resolved.count == 1)
        pending = try await store(harness).pendingOutbox()
        #expect(pending.count == 4)
        let posted = try #require(try JSONSerialization.jsonObject(with: pending[2].body) as? [[String: Any]])
        let resolved = try #require(try JSONSerialization.jsonObject(with: pending[3].body) as? [String: Any])
        #expect(resolved["status"] as? String == "resolved")
        let before = try #require((firing["alerts"] as? [[String: Any]])?.first)
        let after = try #require((resolved["alerts"] as? [[String: Any]])?.first)
        #expect(after["labels"] as? [String: String] == before["labels"] as? [String: String])
        #expect(after["annotations"] as? [String: String] == before["annotations"] as? [String: String])
        #expect(after["fingerprint"] as? String == before["fingerprint"] as? String)
        #expect(posted.first?["labels"] as? [String: String] == before["labels"] as? [String: String])
        let ends = try #require((posted.first?["endsAt"] as? String).flatMap { Timestamp(iso8601: $0) })
        #expect(ends <= Timestamp.now(), "a resolved alert ends when it was resolved")
    }

    /// Issue 22 item 13: a pipeline that fails again is still one firing alert, and its link and run move on to
    /// the newest failed run (Alertmanager hears of it at once), keeping when it started.
    @Test("a firing alert about a newer failure points at the newest failed run")
    func keeperFollowsTheNewestFailure() async throws {
        let harness = try Self.harness()
        try await run(harness, "r1", status: .failed, minutes: 1)
        let keeper = AlertKeeper(project: harness.project, externalURL: "http://s", metadata: harness.metadata)
        _ = try await keeper.evaluate(try await facts(harness, at: harness.now()))
        let startedAt = try #require(try await store(harness).firingAlerts().first?.startsAt)
        try await run(harness, "r2", status: .failed, minutes: 2)
        let round = try await keeper.evaluate(try await facts(harness, at: harness.now()))
        #expect(round.fired.isEmpty && round.updated.map { $0.annotations["run_id"] } == ["r2"])
        let stored = try #require(try await store(harness).firingAlerts().first)
        #expect(stored.generatorURL == "http://s/ui/runs/r2" && stored.startsAt == startedAt)
        let sent = try await store(harness).pendingOutbox().last
        #expect(sent?.channel == "alertmanager" && String(decoding: sent?.body ?? Data(), as: UTF8.self).contains("r2"))
        #expect(try await keeper.evaluate(try await facts(harness, at: harness.now())).updated.isEmpty)
    }
}
