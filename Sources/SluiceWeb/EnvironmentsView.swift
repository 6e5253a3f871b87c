import Foundation
import Hummingbird
import SluiceCore

/// Every environment the viewer may read: head, datasets, lifecycle, idle time and expiry, and a form to
/// compare two of them.
struct EnvironmentsView: Sendable {
    struct Row: Sendable {
        var name: String
        var href: String
        var protected: Bool
        var head: String
        var datasets: String
        var lifecycle: String
        var created: When?
        var createdBy: String
        var idle: String
        var expires: When?
    }

    var chrome: Chrome
    var rows: Listing<Row>?
    var names: [RunsView.Choice]
    var compareFrom: [RunsView.Choice]

    static func build(_ viewer: Viewer, here: String) async throws -> EnvironmentsView {
        let now = viewer.now
        let environments = try await Overview(viewer: viewer).environments()
        let rows = environments.map { summary in
            Row(
                name: summary.name, href: "/ui/environments/\(Format.segment(summary.name))",
                protected: summary.protected, head: summary.head?.short ?? "empty", datasets: "\(summary.datasets)",
                lifecycle: summary.lifecycle, created: summary.createdAt.map { When($0, now: now) },
                createdBy: summary.createdBy ?? "—",
                idle: summary.lastUsedAt.map { Format.span(seconds: (now.milliseconds - $0.milliseconds) / 1000) }
                    ?? "—",
                expires: summary.expiresAt.map { When($0, now: now) })
        }
        let project = viewer.project
        let target = environments.first { $0.protected }?.name ?? project.defaultEnvironment
        return EnvironmentsView(
            chrome: Chrome(title: "Environments", section: .environments, viewer: viewer, here: here),
            rows: .of(rows),
            names: environments.map { RunsView.Choice(value: $0.name, label: $0.name, selected: $0.name == target) },
            compareFrom: environments.map {
                RunsView.Choice(value: $0.name, label: $0.name, selected: $0.name == project.defaultEnvironment)
            })
    }
}

/// One environment: its facts, the datasets its head holds, and its moves (who, when, which run).
struct EnvironmentView: Sendable {
    struct Move: Sendable {
        var at: When
        var actor: String
        var reason: String
        var from: String
        var to: String
        var run: String?
        var runHref: String?
    }

    struct DatasetRow: Sendable {
        var name: String
        var href: String
        var version: String
    }

    var chrome: Chrome
    var name: String
    var protected: Bool
    var head: String
    var lifecycle: String
    var created: When?
    var createdBy: String
    var base: String?
    var idle: String
    var expires: When?
    var datasets: Listing<DatasetRow>?
    var datasetCount: String
    var fewDatasets: Bool
    var moves: Listing<Move>?
    var movesCut: Bool
    var compareHref: String

    static func build(_ viewer: Viewer, name: String, here: String) async throws -> EnvironmentView {
        let now = viewer.now
        // Refused (audited) unless the viewer may read something in it.
        let (history, movesTotal) = try await viewer.workspace.browse.moves(of: name, limit: 20)
        let environments = try await Overview(viewer: viewer).environments()
        guard let summary = environments.first(where: { $0.name == name }) else {
            throw UsageError.notFound(
                "no environment \(NameRules.quoted(name))", hint: "the Environments page lists them")
        }
        let head = try await viewer.workspace.browse.heads(of: [name])[name]
        let datasets: [DatasetRow] = (head?.content.datasets ?? [:]).sorted { $0.key < $1.key }.compactMap {
            dataset, version in
            guard let parsed = DatasetName(dataset), viewer.mayRead(parsed, in: name) else { return nil }
            return DatasetRow(
                name: dataset, href: "/ui/datasets/\(Format.segment(dataset))?env=\(Format.query(name))",
                version: version.short)
        }
        let moves = history.map { entry in
            Move(
                at: When(entry.move.at, now: now), actor: entry.move.actor, reason: entry.move.reason,
                from: entry.move.from?.short ?? "empty", to: entry.move.to.short, run: entry.run,
                runHref: entry.run.map { "/ui/runs/\(Format.segment($0))" })
        }
        // Compared, by default, with where its data would go next: the first protected environment (or, from a
        // protected one, the default environment).
        let other =
            summary.protected
            ? viewer.project.defaultEnvironment : environments.first { $0.protected && $0.name != name }?.name ?? name
        return EnvironmentView(
            chrome: Chrome(title: name, section: .environments, viewer: viewer, here: here), name: name,
            protected: summary.protected, head: summary.head?.short ?? "empty", lifecycle: summary.lifecycle,
            created: summary.createdAt.map { When($0, now: now) }, createdBy: summary.createdBy ?? "—",
            base: summary.base,
            idle: summary.lastUsedAt.map { Format.span(seconds: (now.milliseconds - $0.milliseconds) / 1000) } ?? "—",
            expires: summary.expiresAt.map { When($0, now: now) }, datasets: .of(datasets),
            datasetCount: Format.count(datasets.count), fewDatasets: datasets.count <= 20, moves: .of(moves),
            movesCut: movesTotal > moves.count,
            compareHref: "/ui/compare?from=\(Format.query(name))&to=\(Format.query(other))")
    }
}
