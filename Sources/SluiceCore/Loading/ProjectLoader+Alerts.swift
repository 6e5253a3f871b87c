import Foundation

extension ProjectLoader {
    static let alertKeys = ["alertmanagers", "webhooks", "evaluate_every", "resend_every", "rules"]
    static let alertRuleKeys = [
        "name", "when", "severity", "over", "within", "hold", "pipelines", "datasets", "environments", "labels",
        "runbook",
    ]
    /// Labels Sluice sets itself on every alert, so a rule may not set them.
    static let reservedAlertLabels: Set<String> = [
        "alertname", "severity", "project", "pipeline", "dataset", "environment", "action",
    ]

    /// Reads `alerts: { alertmanagers, webhooks, evaluate_every, resend_every, rules }`. Names of pipelines
    /// and datasets are checked against the project later, with everything else (`ProjectValidator`).
    func readAlerts(_ value: YAMLValue, sink: DiagnosticCollector) -> AlertSettings {
        var settings = AlertSettings()
        guard let fields = value.fields("alerts", allowed: Self.alertKeys) else { return settings }
        settings.alertmanagers = readReceivers(fields["alertmanagers"], what: "alertmanagers", sink: sink)
        settings.webhooks = readReceivers(fields["webhooks"], what: "webhooks", sink: sink)
        for (key, path) in [("evaluate_every", \AlertSettings.evaluateEvery), ("resend_every", \.resendEvery)] {
            guard let field = fields[key], let span = field.timeSpan(key) else { continue }
            if span.seconds < 1 || span.seconds > 3_600 {
                sink.error(field.location, "\(key) must be between 1s and 1h, found \(span)")
            } else {
                settings[keyPath: path] = span
            }
        }
        var names = Set<String>()
        for item in fields["rules"]?.list("alerts rules") ?? [] {
            guard let rule = readAlertRule(item, sink: sink) else { continue }
            if !names.insert(rule.name).inserted {
                sink.error(rule.location, "alert rule \(rule.name) is declared twice; each needs its own name")
                continue
            }
            settings.rules.append(rule)
        }
        if !settings.rules.isEmpty && !settings.hasReceivers {
            sink.warning(
                value.location,
                "alerts declares rules but no alertmanagers or webhooks; the service judges them and sends nothing")
        }
        return settings
    }

    /// Reads `openlineage: { url, endpoint, namespace }`.
    func readOpenLineage(_ value: YAMLValue, sink: DiagnosticCollector) -> OpenLineageSettings? {
        guard let fields = value.fields("openlineage", allowed: ["url", "endpoint", "namespace"]) else { return nil }
        guard let urlValue = fields["url"] else {
            sink.error(value.location, "openlineage needs url: the OpenLineage server (e.g. http://marquez:5000)")
            return nil
        }
        guard let url = readReceivers(urlValue, what: "openlineage url", sink: sink, single: true).first else {
            return nil
        }
        var settings = OpenLineageSettings(url: url)
        if let store = fields["namespace"], let text = store.string("namespace") {
            if NameRules.isIdentifier(text) && text.count <= 63 {
                settings.store = text
            } else {
                sink.error(store.location, "namespace must be a store's name: lower-case letters, digits and -")
            }
        }
        if let endpoint = fields["endpoint"], let text = endpoint.string("endpoint") {
            let parts = text.split(separator: "/", omittingEmptySubsequences: false)
            let safe = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")
            if !text.isEmpty && !text.hasPrefix("/")
                && parts.allSatisfy({ part in
                    !part.isEmpty && part != "." && part != ".." && part.unicodeScalars.allSatisfy(safe.contains)
                })
            {
                settings.endpoint = text
            } else {
                sink.error(endpoint.location, "endpoint must be a relative path such as api/v1/lineage")
            }
        }
        return settings
    }

    private func readReceivers(
        _ value: YAMLValue?, what: String, sink: DiagnosticCollector, single: Bool = false
    ) -> [URL] {
        guard let value else { return [] }
        let texts = single ? value.string(what).map { [($0, value.location)] } : value.stringList("alerts \(what)")
        return (texts ?? []).compactMap { text, location in
            if let url = URL(string: text), url.user != nil || url.password != nil {
                // A project lives in git: a password in it is a leaked password (and is not repeated here).
                sink.error(location, "a \(what) entry holds credentials; keep them out of the project")
                return nil
            }
            guard let url = URL(string: text), let scheme = url.scheme?.lowercased(),
                ["http", "https"].contains(scheme),
                let host = url.host, !host.isEmpty, url.query == nil, url.fragment == nil
            else {
                sink.error(
                    location, "\(what) entry \(NameRules.quoted(text)) must be an http or https URL without a query")
                return nil
            }
            return url
        }
    }

    private func readAlertRule(_ item: YAMLValue, sink: DiagnosticCollector) -> AlertRule? {
        guard let fields = item.fields("an alert rule", allowed: Self.alertRuleKeys) else { return nil }
        guard let nameValue = fields["name"], let name = nameValue.string("alert rule name") else {
            if fields["name"] == nil { sink.error(item.location, "an alert rule needs a name (its alertname)") }
            return nil
        }
        guard Self.isLabelName(name) else {
            sink.error(
                nameValue.location,
                "alert rule name \(NameRules.quoted(name)) must be letters, digits and _, not starting with a digit")
            return nil
        }
        guard let whenValue = fields["when"], let when = whenValue.string("when") else {
            if fields["when"] == nil {
                sink.error(
                    item.location,
                    "alert rule \(name) needs when: one of \(AlertCondition.keywords.joined(separator: ", "))")
            }
            return nil
        }
        guard let condition = readCondition(when, at: whenValue.location, fields: fields, rule: name, sink: sink) else {
            return nil
        }
        var rule = AlertRule(name: name, condition: condition, location: item.location)
        readAlertScope(fields, into: &rule, sink: sink)
        return rule
    }

    private func readCondition(
        _ when: String, at location: SourceLocation, fields: [String: YAMLValue], rule: String,
        sink: DiagnosticCollector
    ) -> AlertCondition? {
        let limits: [String: String] = [
            "run_slow": "over", "quarantine_share": "over", "freshness": "over", "environment_expiring": "within",
            "protected_denial": "hold",
        ]
        for key in ["over", "within", "hold"] where fields[key] != nil && limits[when] != key {
            sink.error(fields[key]!.location, "alert rule \(rule) (when: \(when)) takes no \(key)")
        }
        let limit = limits[when].flatMap { fields[$0] }
        if let key = limits[when], limit == nil, when != "protected_denial" {
            sink.error(location, "alert rule \(rule) (when: \(when)) needs \(key): the limit it alerts over")
            return nil
        }
        switch when {
        case "run_failed": return .runFailed
        case "gate_failed": return .gateFailed
        case "gate_warned": return .gateWarned
        case "gc_failed": return .gcFailed
        case "run_slow": return limit?.timeSpan("over").map { .runSlow(over: $0) }
        case "freshness": return limit?.timeSpan("over").map { .freshness(over: $0) }
        case "environment_expiring": return limit?.timeSpan("within").map { .environmentExpiring(within: $0) }
        case "protected_denial":
            guard let limit else { return .protectedDenial(hold: TimeSpan(seconds: 900)) }
            return limit.timeSpan("hold").map { .protectedDenial(hold: $0) }
        case "quarantine_share": return limit.flatMap { readShare($0, sink: sink) }.map { .quarantineShare(over: $0) }
        default:
            let suggestion = YAMLValue.closest(to: when, in: AlertCondition.keywords).map { "; did you mean \($0)?" }
            sink.error(
                location,
                "alert rule \(rule) has the unknown when \(NameRules.quoted(when))\(suggestion ?? "") (allowed: \(AlertCondition.keywords.joined(separator: ", ")))"
            )
            return nil
        }
    }

    /// A share of rows: `5%` or `0.05`.
    private func readShare(_ value: YAMLValue, sink: DiagnosticCollector) -> Double? {
        let text = value.string("over") ?? ""
        let share = text.hasSuffix("%") ? Double(text.dropLast()).map { $0 / 100 } : Double(text)
        guard let share, share.isFinite, share >= 0, share < 1 else {
            sink.error(value.location, "over must be a share of rows such as 5% or 0.05, below 100%")
            return nil
        }
        return share
    }

    private func readAlertScope(_ fields: [String: YAMLValue], into rule: inout AlertRule, sink: DiagnosticCollector) {
        if let value = fields["severity"], let severity = value.string("severity") {
            if ["critical", "warning", "info"].contains(severity) {
                rule.severity = severity
            } else {
                sink.error(
                    value.location, "severity must be critical, warning or info, found \(NameRules.quoted(severity))")
            }
        }
        rule.pipelines = (fields["pipelines"]?.stringList("pipelines") ?? []).map(\.0)
        for (text, location) in fields["datasets"]?.stringList("datasets") ?? [] {
            guard let name = DatasetName(text) else {
                sink.error(location, "\(NameRules.quoted(text)) is not a dataset name (zone.name)")
                continue
            }
            rule.datasets.append(name)
        }
        for (text, location) in fields["environments"]?.stringList("environments") ?? [] {
            guard let pattern = EnvironmentPattern(text) else {
                sink.error(location, "\(NameRules.quoted(text)) is not an environment name or pattern")
                continue
            }
            rule.environments.append(pattern)
        }
        for entry in fields["labels"]?.entries("alert labels") ?? [] {
            guard Self.isLabelName(entry.key), !entry.key.hasPrefix("__"), !Self.reservedAlertLabels.contains(entry.key)
            else {
                sink.error(
                    entry.keyLocation,
                    "alert label \(NameRules.quoted(entry.key)) must be letters, digits and _ and not one Sluice sets (\(Self.reservedAlertLabels.sorted().joined(separator: ", ")))"
                )
                continue
            }
            if let text = entry.value.string("alert label \(entry.key)") { rule.labels[entry.key] = text }
        }
        if let value = fields["runbook"], let text = value.string("runbook") {
            if let url = URL(string: text), ["http", "https"].contains(url.scheme?.lowercased() ?? "") {
                rule.runbook = text
            } else {
                sink.error(value.location, "runbook must be an http or https URL")
            }
        }
    }

    /// A Prometheus label name: `[a-zA-Z_][a-zA-Z0-9_]*`.
    static func isLabelName(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, first.isASCII, first == "_" || first.properties.isAlphabetic
        else { return false }
        return text.unicodeScalars.allSatisfy {
            $0.isASCII && ($0 == "_" || $0.properties.isAlphabetic || ("0"..."9").contains($0))
        }
    }
}
