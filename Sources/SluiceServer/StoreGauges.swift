import Foundation
import Prometheus
import SluiceCore

/// Gauges read from the store when Prometheus scrapes: build info, when each dataset's version in each
/// environment was written (freshness), versions and bytes held by zone, environments expiring soon.
struct StoreGauges {
    let registry: PrometheusCollectorRegistry
    let context: ServerContext

    func gauge(_ name: String, _ labels: [(String, String)]) -> Prometheus.Gauge {
        let metric = MetricCatalogue.byName[name]!
        return registry.makeGauge(
            descriptor: MetricNameDescriptor(metricName: metric.name, unitName: "", helpText: metric.help),
            labels: labels)
    }

    func update() async throws {
        gauge("sluice_build_info", [("version", EngineVersion.current)]).set(to: 1.0)
        let workspace = try await context.anonymousWorkspace()
        let now = Timestamp.now()
        let facts = try await AlertFacts.read(
            workspace, now: now, deniedSince: Timestamp(milliseconds: now.milliseconds - 86_400_000))
        for head in facts.heads where Self.label(head.environment) == head.environment {
            gauge(
                "sluice_dataset_last_success_timestamp_seconds",
                [("dataset", head.dataset.description), ("environment", head.environment)]
            )
            .set(to: Self.seconds(head.madeAt))
        }
        setAlertGauges(facts)
        let statistics = try await workspace.storeStatistics()
        setQueueGauges(statistics)
        setStoreGauges(statistics)
        let expiring = facts.expiries.filter { $0.at.milliseconds - now.milliseconds <= 7 * 86_400_000 }
        gauge("sluice_environments_expiring", []).set(to: Double(expiring.count))
    }

    /// Versions and the objects (chunks) they hold, by zone: an object is counted once in a zone however many
    /// versions share it (and in each zone that holds it).
    private func setStoreGauges(_ statistics: StoreStatistics) {
        for (zone, held) in statistics.zones {
            let labels = [("zone", zone)]
            gauge("sluice_store_versions", labels).set(to: Double(held.versions))
            gauge("sluice_store_version_bytes", labels).set(to: Double(held.versionBytes))
            gauge("sluice_store_objects", labels).set(to: Double(held.objects))
            gauge("sluice_store_object_bytes", labels).set(to: Double(held.objectBytes))
        }
    }

    static func seconds(_ time: Timestamp) -> Double { Double(time.milliseconds) / 1000 }

    /// An environment as a metric label: a run's own (`staging/RUN_ID`, or a gate judged `run RUN_ID`) is its
    /// pattern, so labels stay few and never name a run.
    static func label(_ environment: String) -> String {
        if environment.hasPrefix(Project.stagingPrefix) { return Project.stagingPrefix + "*" }
        if environment.hasPrefix("run ") { return "run" }
        return environment
    }

    /// What the exported alerting rules judge: the same facts as the service's own alerts.
    private func setAlertGauges(_ facts: AlertFacts) {
        for runs in facts.pipelines {
            let labels = [("pipeline", runs.pipeline), ("environment", runs.environment)]
            gauge("sluice_pipeline_last_run_failed", labels).set(to: runs.latestFinished?.status == .failed ? 1 : 0)
            gauge("sluice_pipeline_last_run_duration_seconds", labels).set(
                to: Double(runs.latestDuration(at: facts.now).seconds))
        }
        for gate in facts.gates where Self.label(gate.environment) == gate.environment {
            let labels = [("dataset", gate.dataset.description), ("environment", gate.environment)]
            gauge("sluice_dataset_gate_failed", labels).set(to: gate.passed ? 0 : 1)
            gauge("sluice_dataset_gate_warnings", labels).set(to: Double(gate.report.warnings.count))
            gauge("sluice_dataset_quarantine_ratio", labels).set(to: AlertEvaluator.quarantineShare(gate))
        }
        gauge("sluice_gc_last_failed", []).set(to: facts.gcFailure == nil ? 0 : 1)
        // Per-run staging environments share one label (the earliest expiry): no run id is ever a label.
        var expiries: [String: Timestamp] = [:]
        for expiry in facts.expiries {
            let label = Self.label(expiry.environment)
            expiries[label] = min(expiries[label] ?? expiry.at, expiry.at)
        }
        for (environment, at) in expiries {
            gauge("sluice_environment_expiry_timestamp_seconds", [("environment", environment)]).set(
                to: Self.seconds(at))
        }
        for (environment, event) in facts.protectedDenials {
            gauge(
                "sluice_protected_denial_last_timestamp_seconds",
                [("environment", environment), ("action", event.draft.action)]
            ).set(to: Self.seconds(event.draft.time))
        }
    }

    private func setQueueGauges(_ statistics: StoreStatistics) {
        gauge("sluice_alerts_firing", []).set(to: Double(statistics.firingAlerts))
        let pending = statistics.pendingDeliveries.merging(["alertmanager": 0, "webhook": 0, "openlineage": 0]) {
            held, _ in held
        }
        for (channel, count) in pending {
            gauge("sluice_outbox_pending", [("channel", channel)]).set(to: Double(count))
        }
    }
}
