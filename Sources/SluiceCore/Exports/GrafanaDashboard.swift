import Crypto
import Foundation

/// A Grafana dashboard over Sluice's metrics (`MetricCatalogue`), with the provisioning files that load it
/// and its Prometheus data source: stable uid (from the project's name), no numeric id, templated on
/// pipeline, dataset and environment.
public struct GrafanaDashboard: Sendable {
    public struct Panel: Sendable {
        public var title: String
        public var kind: String
        public var unit: String
        public var expressions: [(legend: String, expression: String)]
    }

    public static let datasourceUID = "sluice-prometheus"

    public let project: String

    public init(project: String) { self.project = project }

    /// `sluice-` and 12 hex digits of the project's name: the same every time, so a re-export replaces it.
    public var uid: String {
        "sluice-" + SHA256.hash(data: Data(project.utf8)).prefix(6).map { String(format: "%02x", $0) }.joined()
    }

    public static let panels: [Panel] = [
        Panel(
            title: "Runs finished, by outcome", kind: "timeseries", unit: "short",
            expressions: [
                (
                    "{{outcome}}",
                    #"sum by (outcome) (increase(sluice_runs_finished_total{pipeline=~"$pipeline", environment=~"$environment"}[$__rate_interval]))"#
                )
            ]),
        Panel(
            title: "Share of runs that failed", kind: "stat", unit: "percentunit",
            expressions: [
                (
                    "failed",
                    #"sum(increase(sluice_runs_finished_total{outcome="failed", pipeline=~"$pipeline", environment=~"$environment"}[$__range])) / clamp_min(sum(increase(sluice_runs_finished_total{pipeline=~"$pipeline", environment=~"$environment"}[$__range])), 1)"#
                )
            ]),
        Panel(
            title: "Step duration, 95th percentile", kind: "timeseries", unit: "s",
            expressions: [
                (
                    "{{step}}",
                    #"histogram_quantile(0.95, sum by (le, step) (rate(sluice_step_duration_seconds_bucket{pipeline=~"$pipeline"}[$__rate_interval])))"#
                )
            ]),
        Panel(
            title: "Retries, by step", kind: "timeseries", unit: "short",
            expressions: [
                (
                    "{{pipeline}}.{{step}}",
                    #"sum by (pipeline, step) (increase(sluice_step_retries_total{pipeline=~"$pipeline"}[$__rate_interval]))"#
                )
            ]),
        Panel(
            title: "Rows ingested and quarantined", kind: "timeseries", unit: "short",
            expressions: [
                (
                    "ingested {{dataset}}",
                    #"sum by (dataset) (increase(sluice_rows_ingested_total{dataset=~"$dataset"}[$__rate_interval]))"#
                ),
                (
                    "quarantined {{dataset}}",
                    #"sum by (dataset) (increase(sluice_rows_quarantined_total{dataset=~"$dataset"}[$__rate_interval]))"#
                ),
            ]),
        Panel(
            title: "Batches refused by the gate", kind: "timeseries", unit: "short",
            expressions: [
                (
                    "{{dataset}}",
                    #"sum by (dataset) (increase(sluice_batches_rejected_total{dataset=~"$dataset"}[$__rate_interval]))"#
                )
            ]),
        Panel(
            title: "Failed checks, by dataset and check", kind: "table", unit: "short",
            expressions: [
                (
                    "{{dataset}} {{check}}",
                    #"sum by (dataset, check, severity) (increase(sluice_check_results_total{outcome="failed", dataset=~"$dataset"}[$__range]))"#
                )
            ]),
        Panel(
            title: "Age of each dataset's data", kind: "table", unit: "s",
            expressions: [
                (
                    "{{dataset}} in {{environment}}",
                    #"time() - sluice_dataset_last_success_timestamp_seconds{dataset=~"$dataset", environment=~"$environment"}"#
                )
            ]),
        Panel(
            title: "Store: bytes held by zone", kind: "timeseries", unit: "bytes",
            expressions: [("{{zone}}", "sum by (zone) (sluice_store_version_bytes)")]),
        Panel(
            title: "Environments expiring within 7 days", kind: "stat", unit: "short",
            expressions: [("expiring", "max(sluice_environments_expiring)")]),
        Panel(
            title: "Denied actions", kind: "timeseries", unit: "short",
            expressions: [
                (
                    "{{action}}",
                    #"sum by (action) (increase(sluice_audit_events_total{outcome="denied"}[$__rate_interval]))"#
                )
            ]),
        Panel(
            title: "HTTP requests, 95th percentile latency by route", kind: "timeseries", unit: "s",
            expressions: [
                (
                    "{{route}}",
                    #"histogram_quantile(0.95, sum by (le, route) (rate(sluice_http_request_duration_seconds_bucket[$__rate_interval])))"#
                )
            ]),
        Panel(
            title: "HTTP requests, by status", kind: "timeseries", unit: "reqps",
            expressions: [("{{status}}", "sum by (status) (rate(sluice_http_requests_total[$__rate_interval]))")]),
        Panel(
            title: "Sluice version", kind: "stat", unit: "none",
            expressions: [("{{version}}", "max by (version) (sluice_build_info)")]),
    ]

    /// The dashboard's JSON model.
    public func json() throws -> Data {
        let datasource: [String: Any] = ["type": "prometheus", "uid": Self.datasourceUID]
        let panels = Self.panels.enumerated().map { index, panel -> [String: Any] in
            [
                "id": index + 1, "title": panel.title, "type": panel.kind, "datasource": datasource,
                "gridPos": ["h": 8, "w": 12, "x": (index % 2) * 12, "y": (index / 2) * 8],
                "fieldConfig": ["defaults": ["unit": panel.unit], "overrides": [] as [Any]],
                "targets": panel.expressions.enumerated().map { number, target in
                    [
                        "refId": String(UnicodeScalar(UInt8(65 + number))), "expr": target.expression,
                        "legendFormat": target.legend, "datasource": datasource,
                    ] as [String: Any]
                },
            ]
        }
        func variable(_ name: String, _ label: String, _ query: String) -> [String: Any] {
            [
                "name": name, "label": label, "type": "query", "datasource": datasource,
                "query": ["query": query, "refId": "\(name)-values"], "definition": query, "refresh": 2,
                "includeAll": true, "multi": true, "allValue": ".*",
                "current": ["selected": true, "text": ["All"], "value": ["$__all"]],
            ]
        }
        let dashboard: [String: Any] = [
            "uid": uid, "title": "Sluice: \(project)", "tags": ["sluice", "dataops"], "timezone": "utc",
            "schemaVersion": 39, "version": 1, "editable": true, "refresh": "1m",
            "time": ["from": "now-24h", "to": "now"], "panels": panels,
            "templating": [
                "list": [
                    variable("pipeline", "Pipeline", "label_values(sluice_runs_finished_total, pipeline)"),
                    variable("environment", "Environment", "label_values(sluice_runs_finished_total, environment)"),
                    variable(
                        "dataset", "Dataset", "label_values(sluice_dataset_last_success_timestamp_seconds, dataset)"),
                ]
            ],
        ]
        return try JSONSerialization.data(withJSONObject: dashboard, options: [.prettyPrinted, .sortedKeys])
    }

    /// A YAML scalar written as a JSON string (YAML reads JSON strings): whatever it holds stays one value.
    public static func quoted(_ text: String) -> String {
        let data =
            (try? JSONSerialization.data(withJSONObject: [text], options: .withoutEscapingSlashes))
            ?? Data("[\"\"]".utf8)
        return String(String(decoding: data, as: UTF8.self).dropFirst().dropLast())
    }

    /// Grafana's provisioning: the folder of dashboards to load, and the Prometheus data source they use.
    public func provisioning(
        prometheusURL: String, dashboardsFolder: String
    ) -> (dashboards: String, datasource: String) {
        (
            """
            # Grafana loads the dashboards in this folder at start and when they change.
            apiVersion: 1
            providers:
              - name: sluice
                folder: Sluice
                type: file
                disableDeletion: false
                allowUiUpdates: false
                options:
                  path: \(Self.quoted(dashboardsFolder))

            """,
            """
            apiVersion: 1
            datasources:
              - name: Prometheus (Sluice)
                uid: \(Self.datasourceUID)
                type: prometheus
                access: proxy
                url: \(Self.quoted(prometheusURL))
                editable: false

            """
        )
    }
}
