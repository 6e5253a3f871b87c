import Foundation

/// What an alert rule watches for. Each condition is judged on the store's state, per subject: a pipeline in
/// an environment, a dataset in an environment, an environment, or the store.
public enum AlertCondition: Hashable, Sendable {
    /// The newest finished run of a pipeline in an environment failed.
    case runFailed
    /// The newest run of a pipeline in an environment took (or, still running, has taken) longer than this.
    case runSlow(over: TimeSpan)
    /// The newest gate result of a dataset in an environment failed.
    case gateFailed
    /// The newest gate result of a dataset in an environment passed with warnings (or failed with them).
    case gateWarned
    /// The newest gate result of a dataset quarantined more than this share of its rows (0 to 1).
    case quarantineShare(over: Double)
    /// The version of a dataset in an environment was made longer ago than this.
    case freshness(over: TimeSpan)
    /// The newest garbage collection failed.
    case gcFailed
    /// An environment expires under its lifecycle within this.
    case environmentExpiring(within: TimeSpan)
    /// Someone was denied an operation on a protected environment; the alert stays firing this long after
    /// the last such denial.
    case protectedDenial(hold: TimeSpan)

    /// The word used for the condition in `sluice.yaml` (`when:`).
    public var keyword: String {
        switch self {
        case .runFailed: "run_failed"
        case .runSlow: "run_slow"
        case .gateFailed: "gate_failed"
        case .gateWarned: "gate_warned"
        case .quarantineShare: "quarantine_share"
        case .freshness: "freshness"
        case .gcFailed: "gc_failed"
        case .environmentExpiring: "environment_expiring"
        case .protectedDenial: "protected_denial"
        }
    }

    public static let keywords = [
        "run_failed", "run_slow", "gate_failed", "gate_warned", "quarantine_share", "freshness", "gc_failed",
        "environment_expiring", "protected_denial",
    ]

    /// The severity an alert of this condition has when its rule does not say.
    public var defaultSeverity: String {
        switch self {
        case .runFailed, .gateFailed, .gcFailed, .protectedDenial: "critical"
        default: "warning"
        }
    }
}

/// One rule of the project's `alerts:` section: a condition, which subjects it covers, and the labels its
/// alerts carry.
public struct AlertRule: Hashable, Sendable {
    /// The alert's name (its `alertname` label).
    public var name: String
    public var condition: AlertCondition
    public var severity: String
    /// Only these pipelines (empty: all).
    public var pipelines: [String] = []
    /// Only these datasets (empty: all).
    public var datasets: [DatasetName] = []
    /// Only environments matching one of these; empty: every environment, except for `freshness`, which
    /// then watches the protected environments (or the default one when none is protected).
    public var environments: [EnvironmentPattern] = []
    /// Extra labels every alert of the rule carries (`team: data`).
    public var labels: [String: String] = [:]
    /// A link to what to do (`runbook_url` annotation).
    public var runbook: String?
    public var location: SourceLocation

    public init(name: String, condition: AlertCondition, location: SourceLocation) {
        self.name = name
        self.condition = condition
        self.severity = condition.defaultSeverity
        self.location = location
    }

    public func covers(pipeline: String) -> Bool { pipelines.isEmpty || pipelines.contains(pipeline) }
    public func covers(dataset: DatasetName) -> Bool { datasets.isEmpty || datasets.contains(dataset) }
    public func covers(environment: String) -> Bool {
        environments.isEmpty || environments.contains { $0.matches(environment) }
    }
}

/// The project's `alerts:` section: where alerts go, how often the service judges them, and the rules.
public struct AlertSettings: Hashable, Sendable {
    /// Alertmanager servers (their base URLs); alerts are posted to `/api/v2/alerts` of each.
    public var alertmanagers: [URL] = []
    /// Plain webhooks, sent Alertmanager's webhook payload (version 4) on each firing and resolution.
    public var webhooks: [URL] = []
    /// How often the service judges the rules.
    public var evaluateEvery = TimeSpan(seconds: 30)
    /// How often firing alerts are sent to Alertmanager again (it resolves alerts not heard of for a while).
    public var resendEvery = TimeSpan(seconds: 60)
    public var rules: [AlertRule] = []

    public init() {}

    /// Whether alerts go anywhere.
    public var hasReceivers: Bool { !alertmanagers.isEmpty || !webhooks.isEmpty }
}
