import Foundation
import Hummingbird
import SluiceCore

/// Failing and warning checks across datasets, and quarantined batches with their reasons.
struct QualityView: Sendable {
    var chrome: Chrome
    var problems: Listing<CheckRow>?
    var passing: String
    var quarantined: Listing<QuarantineRow>?
    var quarantineCut: Bool

    static func build(_ viewer: Viewer, here: String) async throws -> QualityView {
        let overview = Overview(viewer: viewer)
        let latest = try await overview.latestChecks()
        let problems = latest.filter { !$0.passed || !$0.report.warnings.isEmpty }
        let batches = try await overview.quarantines()
        return QualityView(
            chrome: Chrome(title: "Quality", section: .quality, viewer: viewer, here: here),
            problems: .of(problems.map { CheckRow($0, now: viewer.now) }),
            passing: Format.count(latest.count - problems.count),
            quarantined: .of(batches.prefix(200).map { QuarantineRow($0, now: viewer.now) }),
            quarantineCut: batches.count > 200)
    }
}

/// One quarantined batch: why, where it came from, and its rows (masked as the dataset's data is).
struct QuarantineView: Sendable {
    var chrome: Chrome
    var id: String
    var dataset: String
    var datasetHref: String
    var environment: String
    var kind: String
    var origin: String
    var reason: String
    var rowCount: String
    var at: When
    var by: String
    var sample: DataSample?
    var hidden: String?

    static func build(_ viewer: Viewer, id: String, here: String) async throws -> QuarantineView {
        let batch = try await viewer.workspace.quarantineBatch(id)
        var bytes = Data()
        var hidden: String?
        do {
            try await viewer.workspace.streamQuarantine(id) { piece in
                if bytes.count < DataSample.byteLimit { bytes.append(piece.prefix(DataSample.byteLimit - bytes.count)) }
            }
        } catch let denied as AccessDenied {
            hidden = denied.message
        }
        return QuarantineView(
            chrome: Chrome(title: "Quarantined batch \(batch.id)", section: .quality, viewer: viewer, here: here),
            id: batch.id, dataset: batch.dataset.description,
            datasetHref:
                "/ui/datasets/\(Format.segment(batch.dataset.description))?env=\(Format.query(batch.environment))",
            environment: batch.environment, kind: "\(batch.kind)", origin: batch.origin, reason: batch.reason,
            rowCount: Format.count(Int(batch.rows)), at: When(batch.at, now: viewer.now), by: batch.by,
            sample: hidden == nil ? try DataSample.parse(bytes, cut: bytes.count >= DataSample.byteLimit) : nil,
            hidden: hidden)
    }
}

/// The audit log, filtered and paged in the store, denials highlighted, with the chain's state.
struct AuditView: Sendable {
    var chrome: Chrome
    var principal: String
    var action: String
    var target: String
    var outcomes: [RunsView.Choice]
    var events: Listing<AuditRow>?
    var pager: Pager
    var chain: ChainState
    var filtered: Bool

    static func build(_ viewer: Viewer, request: Request, chain: ChainState) async throws -> AuditView {
        try await viewer.workspace.authorize(.auditReader, action: "audit.read", target: "audit")
        let query = request.uri.queryParameters
        func value(_ name: String) -> String? { query.get(name).flatMap { $0.isEmpty ? nil : $0 } }
        var filter = AuditFilter(action: value("action"), principal: value("principal"), target: value("target"))
        if let outcome = value("outcome") {
            guard let parsed = AuditOutcome(rawValue: outcome) else {
                throw UsageError("outcome must be succeeded, denied or failed, not \(NameRules.quoted(outcome))")
            }
            filter.outcome = parsed
        }
        let page = PageRequest(limit: 100, after: value("after"))
        let events = try await viewer.workspace.auditPage(filter, page: page)
        let keys = ["principal", "action", "target", "outcome"]
        return AuditView(
            chrome: Chrome(title: "Audit", section: .audit, viewer: viewer, here: request.uri.description),
            principal: filter.principal ?? "", action: filter.action ?? "", target: filter.target ?? "",
            outcomes: [RunsView.Choice(value: "", label: "any outcome", selected: filter.outcome == nil)]
                + ["succeeded", "denied", "failed"].map {
                    RunsView.Choice(value: $0, label: $0, selected: $0 == filter.outcome?.rawValue)
                },
            events: .of(events.items.map { AuditRow($0, now: viewer.now) }),
            pager: Pager(
                path: "/ui/audit", query: keys.compactMap { key in value(key).map { (key, $0) } }, next: events.next,
                isFirst: page.after == nil),
            chain: chain, filtered: keys.contains { value($0) != nil })
    }
}

/// What the audit page says of the hash chain.
struct ChainState: Sendable {
    var intact: Bool
    var events: String
    var checked: When
    var problem: String?
    /// Events written since the check.
    var newer: String?
}
