import Foundation

/// The project's `alerts:` as Prometheus alerting rules over the metrics of `sluice serve`, for teams whose
/// own Prometheus and Alertmanager do the alerting: each rule judges the same facts the service judges, read
/// from the scrape-time gauges (`sluice_pipeline_last_run_failed`, `sluice_dataset_last_success_timestamp_seconds`, …).
public struct PrometheusRules: Sendable {
    public let project: Project

    public init(project: Project) { self.project = project }

    /// One rule: its name, PromQL expression, labels and annotations (Prometheus templates).
    public struct Rule: Sendable, Hashable {
        public var alert: String
        public var expr: String
        public var labels: [(String, String)]
        public var annotations: [(String, String)]

        public static func == (lhs: Rule, rhs: Rule) -> Bool {
            lhs.alert == rhs.alert && lhs.expr == rhs.expr && lhs.labels.elementsEqual(rhs.labels, by: ==)
                && lhs.annotations.elementsEqual(rhs.annotations, by: ==)
        }
        public func hash(into hasher: inout Hasher) { hasher.combine(alert + expr) }
    }

    public var rules: [Rule] { project.alerts.rules.map(rule) }

    func rule(_ rule: AlertRule) -> Rule {
        let (expr, summary, description) = expression(rule)
        var labels = [("severity", rule.severity), ("project", project.name)]
        labels += rule.labels.sorted { $0.key < $1.key }.map { ($0.key, Self.literal($0.value)) }
        var annotations = [("summary", summary), ("description", description)]
        if let runbook = rule.runbook { annotations.append(("runbook_url", Self.literal(runbook))) }
        return Rule(alert: rule.name, expr: expr, labels: labels, annotations: annotations)
    }

    private func expression(_ rule: AlertRule) -> (String, String, String) {
        let value = "{{ $value | humanize }}"
        switch rule.condition {
        case .runFailed:
            return (
                "sluice_pipeline_last_run_failed\(selector(rule, "pipeline")) == 1",
                "pipeline {{ $labels.pipeline }} failed in {{ $labels.environment }}",
                "the newest run of {{ $labels.pipeline }} in {{ $labels.environment }} failed"
            )
        case .runSlow(let limit):
            return (
                "sluice_pipeline_last_run_duration_seconds\(selector(rule, "pipeline")) > \(limit.seconds)",
                "pipeline {{ $labels.pipeline }} is slow in {{ $labels.environment }}",
                "the newest run took {{ $value | humanizeDuration }}, over the limit of \(limit)"
            )
        case .gateFailed:
            return (
                "sluice_dataset_gate_failed\(selector(rule, "dataset")) == 1",
                "gate failed for {{ $labels.dataset }} in {{ $labels.environment }}",
                "the newest gate result of {{ $labels.dataset }} failed"
            )
        case .gateWarned:
            return (
                "sluice_dataset_gate_warnings\(selector(rule, "dataset")) > 0",
                "gate warned for {{ $labels.dataset }} in {{ $labels.environment }}",
                "\(value) checks warned in the newest gate result of {{ $labels.dataset }}"
            )
        case .quarantineShare(let limit):
            return (
                "sluice_dataset_quarantine_ratio\(selector(rule, "dataset")) > \(limit)",
                "quarantine share for {{ $labels.dataset }} in {{ $labels.environment }}",
                "{{ $value | humanizePercentage }} of the newest batch's rows quarantined, over the limit of \(AlertEvaluator.percent(limit))"
            )
        case .freshness(let limit):
            return (
                "time() - sluice_dataset_last_success_timestamp_seconds\(selector(rule, "dataset", freshness: true)) > \(limit.seconds)",
                "{{ $labels.dataset }} is stale in {{ $labels.environment }}",
                "its version was made {{ $value | humanizeDuration }} ago, over the limit of \(limit)"
            )
        case .gcFailed:
            return ("sluice_gc_last_failed == 1", "garbage collection failed", "the newest collection failed")
        case .environmentExpiring(let within):
            return (
                "sluice_environment_expiry_timestamp_seconds\(selector(rule, nil)) - time() < \(within.seconds)",
                "environment {{ $labels.environment }} expires in {{ $value | humanizeDuration }}",
                "it expires under its lifecycle unless it is used before then"
            )
        case .protectedDenial(let hold):
            return (
                "time() - sluice_protected_denial_last_timestamp_seconds\(selector(rule, nil)) < \(hold.seconds)",
                "{{ $labels.action }} denied on protected environment {{ $labels.environment }}",
                "an operation on a protected environment was denied in the last \(hold)"
            )
        }
    }

    /// The label matchers of a rule's scope: its pipelines or datasets, and its environments (globs become
    /// regular expressions; Prometheus anchors them).
    private func selector(_ rule: AlertRule, _ subject: String?, freshness: Bool = false) -> String {
        var matchers: [String] = []
        let subjects = subject == "pipeline" ? rule.pipelines : rule.datasets.map(\.description)
        if let subject, !subjects.isEmpty {
            matchers.append("\(subject)=~\(Self.string(subjects.map(Self.regexEscaped).joined(separator: "|")))")
        }
        var environments = rule.environments.map { pattern in
            pattern.text.split(separator: "*", omittingEmptySubsequences: false).map { Self.regexEscaped(String($0)) }
                .joined(separator: ".*")
        }
        if freshness && environments.isEmpty {
            let protected = project.environments.filter { $0.protected && $0.pattern.isConcrete }.map(\.pattern.text)
            environments = (protected.isEmpty ? [project.defaultEnvironment] : protected).map(Self.regexEscaped)
        }
        if !environments.isEmpty {
            matchers.append("environment=~\(Self.string(environments.joined(separator: "|")))")
        }
        return matchers.isEmpty ? "" : "{\(matchers.joined(separator: ","))}"
    }

    /// A PromQL double-quoted string.
    static func string(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    /// RE2 syntax with every metacharacter escaped.
    static func regexEscaped(_ text: String) -> String {
        var escaped = ""
        for character in text {
            if "\\.+*?()|[]{}^$".contains(character) { escaped.append("\\") }
            escaped.append(character)
        }
        return escaped
    }

    /// Text that Prometheus shows as written: it runs labels and annotations as Go templates, so `{{` is
    /// written as an action that prints it.
    static func literal(_ text: String) -> String {
        text.replacingOccurrences(of: "{{", with: "{{ \"{{\" }}")
    }

    /// The rules file (YAML; every scalar a JSON string, which YAML reads as written).
    public func yaml() -> String {
        let quoted = GrafanaDashboard.quoted
        var lines = ["groups:", "  - name: \(quoted("sluice-\(project.name)"))", "    rules:"]
        if rules.isEmpty { lines[lines.count - 1] = "    rules: []" }
        for rule in rules {
            lines.append("      - alert: \(quoted(rule.alert))")
            lines.append("        expr: \(quoted(rule.expr))")
            lines.append("        labels:")
            lines += rule.labels.map { "          \(quoted($0.0)): \(quoted($0.1))" }
            lines.append("        annotations:")
            lines += rule.annotations.map { "          \(quoted($0.0)): \(quoted($0.1))" }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
