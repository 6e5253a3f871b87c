import CoreMetrics
import Foundation
import Prometheus
import SluiceCore

/// swift-metrics into a Prometheus registry with the help text and buckets of Sluice's `MetricCatalogue`.
/// Written here because swift-prometheus's own factory registers every metric without help text (which
/// `promtool check metrics` refuses) and with one set of buckets. Hummingbird's request metrics are renamed into
/// Sluice's names (`sluice_http_*`) with short labels (`route`, `method`, `status`).
public struct PrometheusMetrics: MetricsFactory {
    public let registry: PrometheusCollectorRegistry

    public init(registry: PrometheusCollectorRegistry = PrometheusCollectorRegistry()) {
        self.registry = registry
    }

    static let renamed = [
        "hb.requests": "sluice_http_requests_total", "hb.request.errors": "sluice_http_request_errors_total",
        "http.server.request.duration": "sluice_http_request_duration_seconds",
        "http.server.active_requests": "sluice_http_active_requests",
    ]
    static let renamedLabels = [
        "http.route": "route", "http.request.method": "method", "http.response.status_code": "status",
    ]

    /// The catalogue's metric for a swift-metrics label, and the dimensions with Sluice's label names.
    func resolve(
        _ label: String, _ dimensions: [(String, String)]
    ) -> (MetricNameDescriptor, MetricCatalogue.Kind, [(String, String)]) {
        let name = Self.renamed[label] ?? label
        let metric =
            MetricCatalogue.byName[name]
            ?? MetricCatalogue.Metric(
                name: Self.sanitized(name), help: "Recorded by a library under \(label).", kind: .gauge)
        let descriptor = MetricNameDescriptor(metricName: metric.name, unitName: "", helpText: metric.help)
        return (descriptor, metric.kind, dimensions.map { (Self.renamedLabels[$0.0] ?? Self.sanitized($0.0), $0.1) })
    }

    static func sanitized(_ name: String) -> String {
        String(name.map { $0.isLetter || $0.isNumber || $0 == "_" ? $0 : "_" })
    }

    static func buckets(_ kind: MetricCatalogue.Kind) -> [Double] {
        if case .seconds(let bounds) = kind { return bounds }
        return MetricCatalogue.requestSeconds
    }

    public func makeCounter(label: String, dimensions: [(String, String)]) -> any CounterHandler {
        let (descriptor, _, labels) = resolve(label, dimensions)
        return registry.makeCounter(descriptor: descriptor, labels: labels)
    }

    public func makeFloatingPointCounter(
        label: String, dimensions: [(String, String)]
    ) -> any FloatingPointCounterHandler {
        let (descriptor, _, labels) = resolve(label, dimensions)
        return registry.makeCounter(descriptor: descriptor, labels: labels)
    }

    public func makeRecorder(label: String, dimensions: [(String, String)], aggregate: Bool) -> any RecorderHandler {
        let (descriptor, kind, labels) = resolve(label, dimensions)
        guard aggregate else { return registry.makeGauge(descriptor: descriptor, labels: labels) }
        return registry.makeValueHistogram(descriptor: descriptor, labels: labels, buckets: Self.buckets(kind))
    }

    public func makeMeter(label: String, dimensions: [(String, String)]) -> any MeterHandler {
        let (descriptor, _, labels) = resolve(label, dimensions)
        return registry.makeGauge(descriptor: descriptor, labels: labels)
    }

    public func makeTimer(label: String, dimensions: [(String, String)]) -> any TimerHandler {
        let (descriptor, kind, labels) = resolve(label, dimensions)
        return registry.makeDurationHistogram(
            descriptor: descriptor, labels: labels,
            buckets: Self.buckets(kind).map { Duration.nanoseconds(Int64($0 * 1e9)) })
    }

    public func destroyCounter(_ handler: any CounterHandler) {
        if let counter = handler as? Prometheus.Counter { registry.unregisterCounter(counter) }
    }

    public func destroyFloatingPointCounter(_ handler: any FloatingPointCounterHandler) {
        if let counter = handler as? Prometheus.Counter { registry.unregisterCounter(counter) }
    }

    public func destroyRecorder(_ handler: any RecorderHandler) {
        if let gauge = handler as? Prometheus.Gauge { registry.unregisterGauge(gauge) }
        if let histogram = handler as? ValueHistogram { registry.unregisterValueHistogram(histogram) }
    }

    public func destroyMeter(_ handler: any MeterHandler) {
        if let gauge = handler as? Prometheus.Gauge { registry.unregisterGauge(gauge) }
    }

    public func destroyTimer(_ handler: any TimerHandler) {
        if let histogram = handler as? DurationHistogram { registry.unregisterDurationHistogram(histogram) }
    }

    /// The text format of everything recorded, after the gauges read from the store at scrape time.
    public func scrape(_ context: ServerContext) async throws -> [UInt8] {
        try await StoreGauges(registry: registry, context: context).update()
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return buffer
    }
}
