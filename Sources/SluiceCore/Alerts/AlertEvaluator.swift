import Foundation

/// Judges the project's alert rules on the store's facts: every alert that should be firing now, each with
/// its labels (bounded: rule, severity, project and the subject's pipeline, dataset or environment), its
/// annotations (what happened, in words; the run or principal) and a link to the web UI page about it.
public struct AlertEvaluator: Sendable {
    public let project: Project
    /// The service's address as people reach it (`http://host:port`), for links to the web UI.
    public let externalURL: String

    public init(project: Project, externalURL: String) {
        self.project = project
        self.externalURL = externalURL.hasSuffix("/") ? String(externalURL.dropLast()) : externalURL
    }

    public func firing(_ facts: AlertFacts) -> [AlertRecord] {
        project.alerts.rules.flatMap { firing($0, facts) }
    }

    func firing(_ rule: AlertRule, _ facts: AlertFacts) -> [AlertRecord] {
        switch rule.condition {
        case .runFailed:
            return facts.pipelines.compactMap { runs in
                guard covers(rule, runs), let run = runs.latestFinished, run.status == .failed else { return nil }
                return alert(
                    rule, ["pipeline": runs.pipeline, "environment": runs.environment],
                    at: run.endedAt ?? run.startedAt,
                    page: "/ui/runs/\(escaped(run.id))",
                    summary: "pipeline \(runs.pipeline) failed in \(runs.environment)",
                    description: "run \(run.id) failed: \(run.message ?? "a step failed")", more: ["run_id": run.id])
            }
        case .runSlow(let limit):
            return facts.pipelines.compactMap { runs in
                let took = runs.latestDuration(at: facts.now)
                guard covers(rule, runs), took > limit else { return nil }
                let run = runs.latest
                let state = run.status == .running ? "has run" : "took"
                return alert(
                    rule, ["pipeline": runs.pipeline, "environment": runs.environment], at: run.startedAt.adding(limit),
                    page: "/ui/runs/\(escaped(run.id))",
                    summary: "pipeline \(runs.pipeline) is slow in \(runs.environment)",
                    description: "run \(run.id) \(state) \(took), over the limit of \(limit)", more: ["run_id": run.id])
            }
        case .gateFailed, .gateWarned, .quarantineShare:
            return facts.gates.compactMap { gate in gateAlert(rule, gate) }
        case .freshness(let limit):
            let watched = freshnessEnvironments(rule)
            return facts.heads.compactMap { head in
                let age = TimeSpan(seconds: (facts.now.milliseconds - head.madeAt.milliseconds) / 1000)
                guard rule.covers(dataset: head.dataset), watched(head.environment), age > limit else { return nil }
                return alert(
                    rule, ["dataset": head.dataset.description, "environment": head.environment],
                    at: head.madeAt.adding(limit), page: datasetPage(head.dataset, head.environment),
                    summary: "\(head.dataset) is stale in \(head.environment)",
                    description: "its version was made \(age) ago (at \(head.madeAt)), over the limit of \(limit)")
            }
        case .gcFailed:
            guard let failure = facts.gcFailure else { return [] }
            return [
                alert(
                    rule, [:], at: failure.draft.time, page: "/ui/lifecycle", summary: "garbage collection failed",
                    description: failure.draft.details["reason"] ?? "the newest collection failed")
            ]
        case .environmentExpiring(let within):
            return facts.expiries.compactMap { expiry in
                guard rule.covers(environment: expiry.environment),
                    expiry.at.milliseconds - facts.now.milliseconds <= within.seconds * 1000
                else { return nil }
                return alert(
                    rule, ["environment": expiry.environment], at: facts.now,
                    page: "/ui/environments/\(escaped(expiry.environment))",
                    summary: "environment \(expiry.environment) expires at \(expiry.at)",
                    description: "by \(expiry.rule), unless it is used before then")
            }
        case .protectedDenial(let hold):
            return protectedDenials(rule, facts, hold: hold)
        }
    }

    private func covers(_ rule: AlertRule, _ runs: AlertFacts.PipelineRuns) -> Bool {
        rule.covers(pipeline: runs.pipeline) && rule.covers(environment: runs.environment)
    }

    private func gateAlert(_ rule: AlertRule, _ gate: CheckRun) -> AlertRecord? {
        guard rule.covers(dataset: gate.dataset), rule.covers(environment: gate.environment) else { return nil }
        let report = gate.report
        let description: String
        switch rule.condition {
        case .gateFailed:
            guard !gate.passed else { return nil }
            let failed = report.failedChecks.map(\.id) + report.batchProblems
            description = "the newest gate result failed: \(failed.prefix(5).joined(separator: "; "))"
        case .gateWarned:
            guard !report.warnings.isEmpty else { return nil }
            description = "checks warned: \(report.warnings.prefix(5).map(\.id).joined(separator: ", "))"
        case .quarantineShare(let limit):
            let share = Self.quarantineShare(gate)
            guard share > limit else { return nil }
            description =
                "\(Self.percent(share)) of \(report.rows) rows quarantined, over the limit of \(Self.percent(limit))"
        default:
            return nil
        }
        return alert(
            rule, ["dataset": gate.dataset.description, "environment": gate.environment], at: gate.at,
            page: "/ui/quality",
            summary:
                "\(rule.condition.keyword.replacingOccurrences(of: "_", with: " ")) for \(gate.dataset) in \(gate.environment)",
            description: description)
    }

    /// The share of a batch's rows held back: all of them when the whole batch was refused.
    public static func quarantineShare(_ gate: CheckRun) -> Double {
        gate.passed ? gate.report.invalidRatio : 1
    }

    static func percent(_ share: Double) -> String {
        let value = (share * 1000).rounded() / 10
        return value == value.rounded() ? "\(Int(value))%" : "\(value)%"
    }

    /// Freshness watches the rule's environments; without any, the protected ones (or the default one).
    private func freshnessEnvironments(_ rule: AlertRule) -> (String) -> Bool {
        guard rule.environments.isEmpty else { return { rule.covers(environment: $0) } }
        let protected = project.environments.filter { $0.protected && $0.pattern.isConcrete }.map(\.pattern.text)
        let watched = protected.isEmpty ? [project.defaultEnvironment] : protected
        return { watched.contains($0) }
    }

    private func protectedDenials(_ rule: AlertRule, _ facts: AlertFacts, hold: TimeSpan) -> [AlertRecord] {
        let since = Timestamp(milliseconds: facts.now.milliseconds - hold.seconds * 1000)
        var groups: [String: [AuditEvent]] = [:]
        for (environment, event) in facts.protectedDenials
        where event.draft.time >= since && rule.covers(environment: environment) {
            groups["\(environment)\u{0}\(event.draft.action)", default: []].append(event)
        }
        return groups.sorted { $0.key < $1.key }.map { _, events in
            let first = events[0].draft
            let environment = String(first.target.prefix { $0 != ":" })
            let principals = Set(events.map(\.draft.principal)).sorted().joined(separator: ", ")
            return alert(
                rule, ["environment": environment, "action": first.action], at: first.time,
                page: "/ui/audit?outcome=denied&action=\(escaped(first.action))",
                summary: "\(first.action) denied on protected environment \(environment)",
                description:
                    "\(events.count) denied in the last \(hold), by \(principals): \(first.details["reason"] ?? "")")
        }
    }

    private func alert(
        _ rule: AlertRule, _ subject: [String: String], at startsAt: Timestamp, page: String, summary: String,
        description: String, more: [String: String] = [:]
    ) -> AlertRecord {
        var labels = rule.labels.merging(subject) { $1 }
        labels["alertname"] = rule.name
        labels["severity"] = rule.severity
        labels["project"] = project.name
        var annotations = more.merging(["summary": summary, "description": description]) { $1 }
        if let runbook = rule.runbook { annotations["runbook_url"] = runbook }
        return AlertRecord(
            labels: labels, annotations: annotations, startsAt: startsAt, generatorURL: externalURL + page)
    }

    private func datasetPage(_ dataset: DatasetName, _ environment: String) -> String {
        "/ui/datasets/\(escaped(dataset.description))?env=\(escaped(environment))"
    }

    /// Percent-encodes everything but unreserved characters, for a path segment or a query value.
    func escaped(_ text: String) -> String {
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
