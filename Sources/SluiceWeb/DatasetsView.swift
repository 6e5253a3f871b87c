import Foundation
import Hummingbird
import SluiceCore

/// The catalogue: every dataset the viewer may read somewhere, with its owner, classification, PII,
/// lifecycle, the version each shown environment holds, and how fresh the default environment's is.
struct DatasetsView: Sendable {
    /// A version in one environment (the names differ from the row's: Mustache looks a missing value up in
    /// the enclosing row).
    struct Cell: Sendable {
        var cellVersion: String?
        var cellHref: String?
    }

    struct Row: Sendable {
        var name: String
        var href: String
        var zone: String
        var owner: String
        var classification: String
        var pii: String?
        var lifecycle: String
        var cells: [Cell]
        var written: When?
        var stale: Bool
        var freshness: String?
    }

    var chrome: Chrome
    var environments: [String]
    var defaultEnvironment: String
    var zones: [RunsView.Choice]
    var search: String
    var rows: Listing<Row>?
    var count: String
    var total: String

    static func build(_ viewer: Viewer, request: Request) async throws -> DatasetsView {
        let query = request.uri.queryParameters
        let search = (query.get("q") ?? "").trimmingCharacters(in: .whitespaces)
        let zone = query.get("zone") ?? ""
        let project = viewer.project
        // Protected environments and the default one, declared or stored, that the viewer may read something in.
        let shown = try await viewer.workspace.knownEnvironmentNames().filter {
            (viewer.visibility.isProtected($0) || $0 == project.defaultEnvironment) && viewer.mayRead($0)
        }
        let heads = try await viewer.workspace.browse.heads(of: shown)
        // The default environment's versions, read in one go, for when each was written.
        let defaultHead = heads[project.defaultEnvironment]?.content.datasets ?? [:]
        let versions = try await viewer.workspace.browse.versions(
            Array(Set(defaultHead.values)), in: project.defaultEnvironment)
        var rows: [Row] = []
        for (name, dataset) in project.datasets.sorted(by: { $0.key < $1.key }) {
            guard
                shown.contains(where: { viewer.mayRead(name, in: $0) })
                    || viewer.mayRead(name, in: project.defaultEnvironment),
                search.isEmpty || name.description.localizedCaseInsensitiveContains(search)
                    || (dataset.owner ?? "").localizedCaseInsensitiveContains(search),
                zone.isEmpty || name.zone == zone
            else { continue }
            let cells = shown.map { environment -> Cell in
                guard viewer.mayRead(name, in: environment), let id = heads[environment]?.version(of: name)
                else { return Cell(cellVersion: nil, cellHref: nil) }
                return Cell(
                    cellVersion: id.short,
                    cellHref: "/ui/datasets/\(Format.segment(name.description))?env=\(Format.query(environment))")
            }
            var written: When?
            var stale = false
            if viewer.mayRead(name, in: project.defaultEnvironment), let id = defaultHead[name.description],
                let version = versions[id]
            {
                written = When(version.createdAt, now: viewer.now)
                stale = dataset.isStale(writtenAt: version.createdAt, now: viewer.now)
            }
            rows.append(
                Row(
                    name: name.description, href: "/ui/datasets/\(Format.segment(name.description))", zone: name.zone,
                    owner: dataset.owner ?? "—", classification: dataset.classification?.rawValue ?? "—",
                    pii: dataset.pii.isEmpty ? nil : dataset.pii.joined(separator: ", "),
                    lifecycle: project.lifecycle(of: name)?.summary ?? "none", cells: cells, written: written,
                    stale: stale, freshness: dataset.freshnessLimit?.description))
        }
        return DatasetsView(
            chrome: Chrome(title: "Datasets", section: .datasets, viewer: viewer, here: request.uri.description),
            environments: shown, defaultEnvironment: project.defaultEnvironment,
            zones: [RunsView.Choice(value: "", label: "every zone", selected: zone.isEmpty)]
                + project.zones.sorted { $0.order < $1.order }.map {
                    RunsView.Choice(value: $0.name, label: $0.name, selected: $0.name == zone)
                },
            search: search, rows: .of(rows), count: Format.count(rows.count),
            total: Format.count(project.datasets.count))
    }
}
