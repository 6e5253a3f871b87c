import Foundation
import Hummingbird
import SluiceCore

/// Two environments side by side, as a promotion from `from` to `to` would change `to`: datasets added,
/// removed or changed, with row counts and header differences. The view to look at before a promotion.
struct CompareView: Sendable {
    struct Change: Sendable {
        var dataset: String
        var href: String
        var kind: String
        var tone: String
        var fromVersion: String
        var toVersion: String
        var fromRows: String
        var toRows: String
        var rowDelta: String
        var columnsAdded: String?
        var columnsRemoved: String?
    }

    var chrome: Chrome
    var from: String
    var to: String
    var fromChoices: [RunsView.Choice]
    var toChoices: [RunsView.Choice]
    var changes: Listing<Change>?
    var same: String
    var compared: Bool
    var promote: String

    static func build(_ viewer: Viewer, request: Request) async throws -> CompareView {
        let query = request.uri.queryParameters
        let overview = Overview(viewer: viewer)
        let environments = try await overview.environments()
        let project = viewer.project
        let from = query.get("from") ?? project.defaultEnvironment
        let to = query.get("to") ?? environments.first { $0.protected }?.name ?? project.defaultEnvironment
        var changes: [Change] = []
        var same = 0
        let compared = environments.contains { $0.name == from } && environments.contains { $0.name == to }
        if compared, environments.first(where: { $0.name == from })?.head != nil {
            // The promotion's own plan: what `sluice promote` would do, a merge included.
            let plan = try await overview.workspace.promotionPlan(from: from, to: to)
            let moved =
                plan.changes.map { ($0.dataset, $0.after, $0.before, false) }
                + plan.conflicts.map { ($0.dataset, $0.source, $0.target, true) }
            let versions = try await overview.workspace.browse.versions(
                moved.flatMap { [$0.1, $0.2].compactMap { $0 } }, in: from)
            let names = Set(plan.datasets.keys).union(moved.map(\.0))
            same = names.filter { name in !moved.contains { $0.0 == name } }.count
            for (name, after, before, conflict) in moved.sorted(by: { $0.0 < $1.0 }) {
                guard let dataset = DatasetName(name), viewer.mayRead(dataset, in: from),
                    viewer.mayRead(dataset, in: to)
                else { continue }
                var shown = change(
                    name, from: after.flatMap { versions[$0] }, to: before.flatMap { versions[$0] }, environment: from)
                if conflict {
                    shown.kind = "conflict: changed on both sides"
                    shown.tone = "removed"
                }
                changes.append(shown)
            }
        } else if !environments.isEmpty && !compared {
            throw UsageError.notFound(
                "compare two environments you may read: \(environments.map(\.name).joined(separator: ", "))")
        }
        func choices(_ selected: String) -> [RunsView.Choice] {
            environments.map { RunsView.Choice(value: $0.name, label: $0.name, selected: $0.name == selected) }
        }
        return CompareView(
            chrome: Chrome(
                title: "Compare \(from) → \(to)", section: .environments, viewer: viewer, here: request.uri.description),
            from: from, to: to, fromChoices: choices(from), toChoices: choices(to), changes: .of(changes),
            same: Format.count(same), compared: compared, promote: "sluice promote --from \(from) --to \(to)")
    }

    /// What promoting `from` would do to the dataset in the target: add it, remove it (a promotion moves the
    /// whole head), or change its version.
    static func change(_ name: String, from a: DatasetVersion?, to b: DatasetVersion?, environment: String) -> Change {
        let kind = b == nil ? "added" : a == nil ? "removed" : "changed"
        let rowsA = a?.manifest.rows
        let rowsB = b?.manifest.rows
        let delta = (rowsA ?? 0) - (rowsB ?? 0)
        let headerA = Set(a?.manifest.schema ?? [])
        let headerB = Set(b?.manifest.schema ?? [])
        let added = a != nil && b != nil ? headerA.subtracting(headerB).sorted() : []
        let removed = a != nil && b != nil ? headerB.subtracting(headerA).sorted() : []
        return Change(
            dataset: name, href: "/ui/datasets/\(Format.segment(name))?env=\(Format.query(environment))", kind: kind,
            tone: kind == "added" ? "added" : kind == "removed" ? "removed" : "changed",
            fromVersion: a?.id.short ?? "—", toVersion: b?.id.short ?? "—",
            fromRows: rowsA.map { Format.count(Int($0)) } ?? "—", toRows: rowsB.map { Format.count(Int($0)) } ?? "—",
            rowDelta: delta == 0 ? "±0" : (delta > 0 ? "+" : "−") + Format.count(Int(delta.magnitude)),
            columnsAdded: added.isEmpty ? nil : added.joined(separator: ", "),
            columnsRemoved: removed.isEmpty ? nil : removed.joined(separator: ", "))
    }
}
