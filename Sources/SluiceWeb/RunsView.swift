import Foundation
import Hummingbird
import SluiceCore

/// The run list, filtered in the store (pipeline, environment, status, who, since) and paged.
struct RunsView: Sendable {
    struct Choice: Sendable {
        var value: String
        var label: String
        var selected: Bool
    }

    var chrome: Chrome
    var pipelines: [Choice]
    var environments: [Choice]
    var statuses: [Choice]
    var windows: [Choice]
    var principal: String
    var principals: [String]
    var runs: Listing<RunRow>?
    var pager: Pager
    var filtered: Bool

    static let windows = [
        ("", "any time"), ("1h", "last hour"), ("24h", "last 24 hours"), ("7d", "last 7 days"), ("30d", "last 30 days"),
    ]

    static func build(_ viewer: Viewer, request: Request) async throws -> RunsView {
        let query = request.uri.queryParameters
        func value(_ name: String) -> String? { query.get(name).flatMap { $0.isEmpty ? nil : $0 } }
        var filter = RunFilter(pipeline: value("pipeline"), environment: value("environment"), principal: value("who"))
        if let status = value("status") {
            guard let parsed = RunStatus(rawValue: status) else {
                throw UsageError(
                    "status must be running, abandoned, succeeded, failed or cancelled, not \(NameRules.quoted(status))"
                )
            }
            filter.status = parsed
        }
        if let since = value("since") {
            guard let span = TimeSpan(since) else {
                throw UsageError("since must be a span such as 1h, 24h or 7d, not \(NameRules.quoted(since))")
            }
            filter.startedSince = Timestamp(milliseconds: viewer.now.milliseconds - span.milliseconds)
        }
        let request = PageRequest(limit: 50, after: value("after"))
        let page = try await viewer.workspace.runPage(filter, page: request)
        let environments = try await viewer.readableEnvironments().map(\.name)
        let keys = ["pipeline", "environment", "status", "who", "since"]
        return RunsView(
            chrome: Chrome(title: "Runs", section: .runs, viewer: viewer, here: "/ui/runs"),
            pipelines: [Choice(value: "", label: "any pipeline", selected: filter.pipeline == nil)]
                + viewer.project.pipelines.keys.sorted().map {
                    Choice(value: $0, label: $0, selected: $0 == filter.pipeline)
                },
            environments: [Choice(value: "", label: "any environment", selected: filter.environment == nil)]
                + environments.map { Choice(value: $0, label: $0, selected: $0 == filter.environment) },
            statuses: [Choice(value: "", label: "any status", selected: filter.status == nil)]
                + ["running", "abandoned", "succeeded", "failed", "cancelled"].map {
                    Choice(value: $0, label: $0, selected: $0 == filter.status?.rawValue)
                },
            windows: windows.map { Choice(value: $0.0, label: $0.1, selected: $0.0 == (value("since") ?? "")) },
            principal: filter.principal ?? "", principals: viewer.project.principals.keys.sorted(),
            runs: .of(page.items.map { RunRow($0, now: viewer.now) }),
            pager: Pager(
                path: "/ui/runs", query: keys.compactMap { key in value(key).map { (key, $0) } }, next: page.next,
                isFirst: request.after == nil),
            filtered: keys.contains { value($0) != nil })
    }
}
