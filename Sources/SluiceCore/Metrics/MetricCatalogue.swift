import Foundation

/// Every metric Sluice reports, with its help text and (for histograms) its buckets. The engine records them
/// through swift-metrics under these names; the service's Prometheus backend takes help text and buckets from
/// here. Labels are bounded: pipelines, steps, datasets, environments, actions and outcomes, never run ids,
/// file names or error text.
public enum MetricCatalogue {
    public enum Kind: Sendable, Equatable {
        case counter
        case gauge
        /// A histogram of seconds with these upper bounds.
        case seconds([Double])
    }

    public struct Metric: Sendable {
        public var name: String
        public var help: String
        public var kind: Kind

        public init(name: String, help: String, kind: Kind) {
            self.name = name
            self.help = help
            self.kind = kind
        }
    }

    public static let stepSeconds: [Double] = [1, 10, 60, 300, 1800]
    public static let requestSeconds: [Double] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5]

    public static let all: [Metric] = [
        Metric(name: "sluice_build_info", help: "Sluice's version; always 1.", kind: .gauge),
        Metric(
            name: "sluice_runs_started_total", help: "Pipeline runs started, by pipeline and environment.",
            kind: .counter),
        Metric(
            name: "sluice_runs_finished_total", help: "Pipeline runs ended, by pipeline, environment and outcome.",
            kind: .counter),
        Metric(
            name: "sluice_run_duration_seconds", help: "How long pipeline runs took, by pipeline and outcome.",
            kind: .seconds(stepSeconds)),
        Metric(
            name: "sluice_step_duration_seconds",
            help: "How long steps took, every attempt included, by pipeline, step and outcome.",
            kind: .seconds(stepSeconds)),
        Metric(name: "sluice_step_attempts_total", help: "Step attempts, by pipeline and step.", kind: .counter),
        Metric(
            name: "sluice_step_retries_total", help: "Step attempts after the first, by pipeline and step.",
            kind: .counter),
        Metric(name: "sluice_rows_ingested_total", help: "Rows landed by ingest, by dataset.", kind: .counter),
        Metric(
            name: "sluice_rows_quarantined_total", help: "Rows held back by the quality gate, by dataset.",
            kind: .counter),
        Metric(
            name: "sluice_batches_rejected_total", help: "Ingest batches the quality gate refused, by dataset.",
            kind: .counter),
        Metric(
            name: "sluice_check_results_total", help: "Gate check results, by dataset, check, severity and outcome.",
            kind: .counter),
        Metric(
            name: "sluice_dataset_last_success_timestamp_seconds",
            help: "When the version a dataset holds in an environment was written (Unix seconds): its freshness.",
            kind: .gauge),
        Metric(name: "sluice_store_versions", help: "Dataset versions held in the store, by zone.", kind: .gauge),
        Metric(
            name: "sluice_store_version_bytes", help: "Bytes of the dataset versions held in the store, by zone.",
            kind: .gauge),
        Metric(
            name: "sluice_store_objects",
            help: "Objects (content-addressed chunks) the dataset versions of a zone hold, each counted once.",
            kind: .gauge),
        Metric(
            name: "sluice_store_object_bytes", help: "Bytes of the objects the dataset versions of a zone hold.",
            kind: .gauge),
        Metric(name: "sluice_environments_expiring", help: "Environments that expire within 7 days.", kind: .gauge),
        Metric(
            name: "sluice_gc_deleted_total",
            help: "What garbage collection deleted, by kind (environment, version, run, quarantine, object).",
            kind: .counter),
        Metric(
            name: "sluice_gc_bytes_freed_total", help: "Bytes of the objects garbage collection deleted.",
            kind: .counter),
        Metric(
            name: "sluice_scheduler_lag_seconds",
            help: "How long after its scheduled time a tick's run started, by pipeline.",
            kind: .seconds([0.1, 1, 5, 30, 120, 600])),
        Metric(name: "sluice_audit_events_total", help: "Audit events written, by action and outcome.", kind: .counter),
        Metric(
            name: "sluice_auth_failures_total",
            help:
                "Requests whose credentials named nobody, by outcome (refused: checked and refused; limited: refused unchecked, the client being over its limit).",
            kind: .counter),
        Metric(
            name: "sluice_http_requests_total", help: "HTTP requests answered, by route, method and status.",
            kind: .counter),
        Metric(
            name: "sluice_http_request_errors_total",
            help: "HTTP requests that failed inside the service, by route, method and status.", kind: .counter),
        Metric(
            name: "sluice_http_request_duration_seconds",
            help: "How long HTTP requests took, by route, method and status.", kind: .seconds(requestSeconds)),
        Metric(name: "sluice_http_active_requests", help: "HTTP requests being answered now, by method.", kind: .gauge),
        Metric(
            name: "sluice_pipeline_last_run_failed",
            help: "1 when the newest finished run of a pipeline in an environment failed, else 0.", kind: .gauge),
        Metric(
            name: "sluice_pipeline_last_run_duration_seconds",
            help: "How long the newest run of a pipeline in an environment took, or has taken so far.", kind: .gauge),
        Metric(
            name: "sluice_dataset_gate_failed",
            help: "1 when the newest gate result of a dataset in an environment failed, else 0.", kind: .gauge),
        Metric(
            name: "sluice_dataset_gate_warnings",
            help: "Checks that warned in the newest gate result of a dataset in an environment.", kind: .gauge),
        Metric(
            name: "sluice_dataset_quarantine_ratio",
            help: "Share of rows (0 to 1) the newest gate result of a dataset in an environment held back.",
            kind: .gauge),
        Metric(
            name: "sluice_gc_last_failed", help: "1 when the newest garbage collection failed, else 0.", kind: .gauge),
        Metric(
            name: "sluice_environment_expiry_timestamp_seconds",
            help: "When an environment expires under its lifecycle unless used (Unix seconds).", kind: .gauge),
        Metric(
            name: "sluice_protected_denial_last_timestamp_seconds",
            help:
                "When an operation on a protected environment was last denied, by environment and action (Unix seconds).",
            kind: .gauge),
        Metric(
            name: "sluice_alerts_total", help: "Alerts that fired or resolved, by alert name, severity and transition.",
            kind: .counter),
        Metric(name: "sluice_alerts_firing", help: "Alerts firing now.", kind: .gauge),
        Metric(
            name: "sluice_outbox_deliveries_total",
            help: "Deliveries to other systems, by channel and outcome (delivered, retried, dropped).", kind: .counter),
        Metric(name: "sluice_outbox_pending", help: "Messages waiting for delivery, by channel.", kind: .gauge),
    ]

    public static let byName: [String: Metric] = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })
}
