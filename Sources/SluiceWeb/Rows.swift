import Foundation
import SluiceCore

/// A run as a row of a list.
struct RunRow: Sendable {
    var id: String
    var href: String
    var pipeline: String
    var pipelineHref: String
    var environment: String
    var principal: String
    var badge: Badge
    var started: When
    var duration: String
    var message: String?

    init(_ run: RunRecord, now: Timestamp) {
        id = run.id
        href = "/ui/runs/\(Format.segment(run.id))"
        pipeline = run.pipeline
        pipelineHref = "/ui/runs?pipeline=\(Format.query(run.pipeline))"
        environment = run.environment
        principal = run.principal
        badge = Badge(run.status)
        started = When(run.startedAt, now: now)
        let end = run.endedAt ?? now
        duration = Format.duration(milliseconds: max(0, end.milliseconds - run.startedAt.milliseconds))
        message = run.message
    }
}

/// A run as a coloured square with its status in its title and its symbol inside (for colour-blind readers).
struct RunDot: Sendable {
    var href: String
    var tone: String
    var symbol: String
    var title: String

    init(_ run: RunSummary) {
        let badge = Badge(run.status)
        href = "/ui/runs/\(Format.segment(run.id))"
        tone = badge.tone
        symbol = badge.symbol
        title = "\(run.id): \(badge.label) in \(run.environment), started \(run.startedAt.description)"
    }
}

/// The latest gate result of a dataset in an environment.
struct CheckRow: Sendable {
    var dataset: String
    var datasetHref: String
    var environment: String
    var badge: Badge
    var failed: String
    var warnings: String
    var rows: String
    var invalidRows: String
    var at: When
    var origin: String

    init(_ run: CheckRun, now: Timestamp) {
        dataset = run.dataset.description
        datasetHref = "/ui/datasets/\(Format.segment(run.dataset.description))?env=\(Format.query(run.environment))"
        environment = run.environment
        let warned = run.report.warnings
        badge =
            run.passed
            ? (warned.isEmpty ? Badge.check(passed: true) : Badge(label: "warning", symbol: "⚠", tone: "warn"))
            : Badge.check(passed: false)
        failed = (run.report.failedChecks.map(\.id) + run.report.batchProblems).joined(separator: "; ")
        warnings = warned.map(\.id).joined(separator: "; ")
        rows = Format.count(Int(run.report.rows))
        invalidRows = Format.count(Int(run.report.invalidRows))
        at = When(run.at, now: now)
        origin = run.origin
    }
}

/// A quarantined batch as a row.
struct QuarantineRow: Sendable {
    var id: String
    var href: String
    var dataset: String
    var environment: String
    var reason: String
    var rowCount: String
    var at: When
    var by: String

    init(_ batch: QuarantineBatch, now: Timestamp) {
        id = batch.id
        href = "/ui/quality/quarantine/\(Format.segment(batch.id))"
        dataset = batch.dataset.description
        environment = batch.environment
        reason = batch.reason
        rowCount = Format.count(Int(batch.rows))
        at = When(batch.at, now: now)
        by = batch.by
    }
}

/// An audit event as a row; denials are highlighted.
struct AuditRow: Sendable {
    var sequence: String
    var at: When
    var principal: String
    var action: String
    var target: String
    var badge: Badge
    var denied: Bool
    var details: String

    init(_ event: AuditEvent, now: Timestamp) {
        sequence = String(event.sequence)
        at = When(event.draft.time, now: now)
        principal = event.draft.principal
        action = event.draft.action
        target = event.draft.target
        badge = Badge(event.draft.outcome)
        denied = event.draft.outcome == .denied
        // Long values (an applied policy, a digest) are cut: `sluice audit --json` has them whole.
        details = event.draft.details.sorted { $0.key < $1.key }.map { "\($0.key)=\(GraphPicture.clip($0.value, 72))" }
            .joined(separator: " ")
    }
}

/// A link to the next page of a list, and back to the first.
struct Pager: Sendable {
    var first: String?
    var next: String?

    /// `path` with `query` (whose `after` is replaced), for the page after `next`.
    init(path: String, query: [(String, String)], next: String?, isFirst: Bool) {
        let kept = query.filter { $0.0 != "after" && !$0.1.isEmpty }
        func link(_ extra: [(String, String)]) -> String {
            let all = kept + extra
            return all.isEmpty
                ? path : path + "?" + all.map { "\(Format.query($0.0))=\(Format.query($0.1))" }.joined(separator: "&")
        }
        first = isFirst ? nil : link([])
        self.next = next.map { link([("after", $0)]) }
    }
}

/// A list that a page shows only when it has rows (`{{#list}}…{{#rows}}…{{/rows}}…{{/list}}`).
struct Listing<Row: Sendable>: Sendable {
    var rows: [Row]

    static func of<S: Sequence>(_ rows: S) -> Listing? where S.Element == Row {
        let all = Array(rows)
        return all.isEmpty ? nil : Listing(rows: all)
    }
}
