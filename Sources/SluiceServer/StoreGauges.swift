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
        let metadata = context.metadata
        let environments = try await metadata.environments()
        var heads: [(String, [String: ObjectID])] = []
        for record in environments {
            guard let head = record.head, let commit = try await metadata.commit(head) else { continue }
            heads.append((record.name, commit.content.datasets))
        }
        let versions = try await metadata.versions(Array(Set(heads.flatMap { $0.1.values })))
        for (environment, datasets) in heads {
            for (dataset, id) in datasets {
                guard let version = versions[id] else { continue }
                gauge(
                    "sluice_dataset_last_success_timestamp_seconds",
                    [("dataset", dataset), ("environment", environment)]
                )
                .set(to: Double(version.createdAt.milliseconds) / 1000)
            }
        }
        var held: [String: (count: Int, bytes: Int64)] = [:]
        for version in try await metadata.versions(prefix: "", dataset: nil) {
            let zone = version.dataset.zone
            held[zone] = ((held[zone]?.count ?? 0) + 1, (held[zone]?.bytes ?? 0) + version.manifest.bytes)
        }
        for zone in context.project.zones.map(\.name) {
            gauge("sluice_store_versions", [("zone", zone)]).set(to: Double(held[zone]?.count ?? 0))
            gauge("sluice_store_version_bytes", [("zone", zone)]).set(to: Double(held[zone]?.bytes ?? 0))
        }
        let workspace = try await context.anonymousWorkspace()
        let now = Timestamp.now()
        let expiring = environments.filter { record in
            guard let at = CollectorService(context: workspace.context).expiry(of: record)?.at else { return false }
            return at.milliseconds - now.milliseconds <= 7 * 86_400_000
        }
        gauge("sluice_environments_expiring", []).set(to: Double(expiring.count))
    }
}
