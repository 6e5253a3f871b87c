import Foundation
import Metrics

/// Where the engine records what it measures (through swift-metrics: a no-op until the process bootstraps a
/// backend, as `sluice serve` does with Prometheus).
public enum EngineMetrics {
    public static func runStarted(_ run: RunRecord) {
        Metrics.Counter(
            label: "sluice_runs_started_total",
            dimensions: [("pipeline", run.pipeline), ("environment", run.environment)]
        )
        .increment()
    }

    /// A run that ended: its outcome and duration, and each step's attempts and time.
    public static func runEnded(_ run: RunRecord) {
        let outcome = run.status.rawValue
        Metrics.Counter(
            label: "sluice_runs_finished_total",
            dimensions: [("pipeline", run.pipeline), ("environment", run.environment), ("outcome", outcome)]
        ).increment()
        if let end = run.endedAt {
            Metrics.Timer(
                label: "sluice_run_duration_seconds", dimensions: [("pipeline", run.pipeline), ("outcome", outcome)]
            )
            .recordMilliseconds(max(0, end.milliseconds - run.startedAt.milliseconds))
        }
        for step in run.steps where !step.attempts.isEmpty {
            let labels = [("pipeline", run.pipeline), ("step", step.step)]
            Metrics.Counter(label: "sluice_step_attempts_total", dimensions: labels).increment(by: step.attempts.count)
            if step.attempts.count > 1 {
                Metrics.Counter(label: "sluice_step_retries_total", dimensions: labels).increment(
                    by: step.attempts.count - 1)
            }
            let took = step.attempts.reduce(Int64(0)) {
                $0 + max(0, ($1.endedAt ?? $1.startedAt).milliseconds - $1.startedAt.milliseconds)
            }
            Metrics.Timer(
                label: "sluice_step_duration_seconds", dimensions: labels + [("outcome", step.status.rawValue)]
            )
            .recordMilliseconds(took)
        }
    }

    /// A batch through the gate: rows landed or held back, the batch refused, and each check's result.
    public static func gateJudged(_ report: ValidationReport, dataset: DatasetName, landedRows: Int64?) {
        let labels = [("dataset", dataset.description)]
        if let landedRows {
            Metrics.Counter(label: "sluice_rows_ingested_total", dimensions: labels).increment(by: Int(landedRows))
        }
        if report.invalidRows > 0, landedRows != nil {
            Metrics.Counter(label: "sluice_rows_quarantined_total", dimensions: labels).increment(
                by: Int(report.invalidRows))
        }
        if landedRows == nil { Metrics.Counter(label: "sluice_batches_rejected_total", dimensions: labels).increment() }
        for check in report.checks {
            Metrics.Counter(
                label: "sluice_check_results_total",
                dimensions: labels + [
                    ("check", check.id), ("severity", check.severity.rawValue),
                    ("outcome", check.success ? "passed" : "failed"),
                ]
            ).increment()
        }
    }

    /// A request whose credentials named nobody: `refused` after checking, `limited` unchecked.
    public static func authenticationFailed(limited: Bool) {
        Metrics.Counter(label: "sluice_auth_failures_total", dimensions: [("outcome", limited ? "limited" : "refused")])
            .increment()
    }

    public static func audited(action: String, outcome: AuditOutcome) {
        Metrics.Counter(
            label: "sluice_audit_events_total", dimensions: [("action", action), ("outcome", outcome.rawValue)]
        )
        .increment()
    }

    /// What a collection (not a dry run) deleted, by kind, and the bytes its objects held.
    public static func collected(_ report: GCReport) {
        let deleted = [
            ("environment", report.environments.filter(\.deleted).count),
            ("version", report.versions.count), ("run", report.runs.filter(\.deleted).count),
            ("quarantine", report.quarantines.filter(\.deleted).count), ("object", report.objects.count),
        ]
        for (kind, count) in deleted where count > 0 {
            Metrics.Counter(label: "sluice_gc_deleted_total", dimensions: [("kind", kind)]).increment(by: count)
        }
        Metrics.Counter(label: "sluice_gc_bytes_freed_total").increment(by: Int(report.bytes))
    }

    /// A scheduled tick that started: how long after its time it did.
    public static func scheduled(pipeline: String, lag milliseconds: Int64) {
        Metrics.Timer(label: "sluice_scheduler_lag_seconds", dimensions: [("pipeline", pipeline)])
            .recordMilliseconds(max(0, milliseconds))
    }

    /// An alert that started or stopped firing.
    public static func alert(_ transition: AlertTransition) {
        Metrics.Counter(
            label: "sluice_alerts_total",
            dimensions: [
                ("alertname", transition.alert.labels["alertname"] ?? ""),
                ("severity", transition.alert.labels["severity"] ?? ""), ("transition", transition.kind.rawValue),
            ]
        ).increment()
    }

    /// What became of one delivery attempt to another system.
    public static func delivery(channel: String, _ settlement: OutboxSettlement) {
        let outcome =
            switch settlement {
            case .delivered: "delivered"
            case .retry: "retried"
            case .dropped: "dropped"
            }
        Metrics.Counter(
            label: "sluice_outbox_deliveries_total", dimensions: [("channel", channel), ("outcome", outcome)]
        )
        .increment()
    }
}
