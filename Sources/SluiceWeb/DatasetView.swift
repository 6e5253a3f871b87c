import Foundation
import Hummingbird
import SluiceCore

/// One dataset in one environment: what it is, its current version, schema and statistics, a masked sample,
/// its check history as a chart, its lineage a few hops each way, and its versions.
struct DatasetView: Sendable {
    struct EnvironmentLink: Sendable {
        var name: String
        var href: String
        var current: Bool
    }

    struct ColumnRow: Sendable {
        var name: String
        var type: String
        var rules: String
        var pii: Bool
    }

    struct HistoryRow: Sendable {
        var version: String
        var at: When
        var actor: String
        var current: Bool
    }

    struct Current: Sendable {
        var id: String
        var rows: String
        var bytes: String
        var files: String
        var written: When?
        var by: String
    }

    var chrome: Chrome
    var name: String
    var summary: String?
    var owner: String
    var classification: String
    var pii: String?
    var lifecycle: String
    var writer: String
    var environment: String
    var environments: [EnvironmentLink]
    var current: Current?
    var columns: Listing<ColumnRow>?
    var storedSchema: String?
    var tableChecks: Listing<String>?
    var sample: DataSample?
    var chart: ChartPicture?
    var checkRows: Listing<CheckRow>?
    var lineage: GraphPicture?
    var hops: Int
    var moreHops: String
    var fewerHops: String?
    var history: Listing<HistoryRow>?
    var historyCut: Bool
}

extension DatasetView {
    static func build(_ viewer: Viewer, name: String, request: Request) async throws -> DatasetView {
        let query = request.uri.queryParameters
        let project = viewer.project
        let environment = query.get("env") ?? project.defaultEnvironment
        let hops = min(6, max(1, Int(query.get("hops") ?? "") ?? 2))
        // The versions of the last 200 commits (older ones: `sluice datasets show`).
        let details = try await viewer.workspace.datasetDetails(name, in: environment, historyLimit: 200)
        guard let dataset = DatasetName(name) else {
            throw UsageError("\(NameRules.quoted(name)) is not a dataset name")
        }
        let declared = project.datasets[dataset]
        let base = "/ui/datasets/\(Format.segment(name))"
        let checks = try await viewer.workspace.browse.checkRuns(dataset: dataset, environment: environment, limit: 60)
        let version = details.entry.version
        let history = details.history.prefix(50).enumerated().map { index, entry in
            HistoryRow(
                version: entry.version.short, at: When(entry.at, now: viewer.now), actor: entry.actor,
                current: index == 0 && entry.version == version)
        }
        return DatasetView(
            chrome: Chrome(title: name, section: .datasets, viewer: viewer, here: request.uri.description),
            name: name, summary: declared?.description, owner: declared?.owner ?? "—",
            classification: declared?.classification?.rawValue ?? "—",
            pii: details.pii.isEmpty ? nil : details.pii.joined(separator: ", "), lifecycle: details.lifecycle,
            writer: details.writer ?? "—", environment: environment,
            environments: try await viewer.readableEnvironments().filter { viewer.mayRead(dataset, in: $0.name) }.map {
                EnvironmentLink(
                    name: $0.name, href: "\(base)?env=\(Format.query($0.name))", current: $0.name == environment)
            },
            current: version.map { id in
                Current(
                    id: id.short, rows: Format.count(Int(details.entry.rows ?? 0)),
                    bytes: Format.bytes(details.entry.bytes ?? 0), files: "\(details.entry.files ?? 0)",
                    written: details.entry.createdAt.map { When($0, now: viewer.now) },
                    by: details.entry.createdBy ?? "—")
            },
            columns: .of(
                (declared?.columns ?? []).map {
                    ColumnRow(
                        name: $0.name, type: $0.type.rawValue, rules: $0.rules, pii: details.pii.contains($0.name))
                }),
            storedSchema: details.schema.isEmpty ? nil : details.schema.joined(separator: ", "),
            tableChecks: .of(declared?.checks.map(\.kind.summary) ?? []),
            sample: version == nil ? nil : try await DataSample.read(name, in: environment, viewer: viewer),
            chart: checks.isEmpty ? nil : ChartPicture(checks.reversed(), label: "Gate results of \(name)"),
            checkRows: .of(checks.prefix(10).map { CheckRow($0, now: viewer.now) }),
            lineage: version == nil
                ? nil
                : LineagePicture.draw(
                    try await viewer.workspace.lineage(name, in: environment, directions: [.upstream, .downstream]),
                    hops: hops, environment: environment),
            hops: hops, moreHops: "\(base)?env=\(Format.query(environment))&hops=\(hops + 1)#lineage",
            fewerHops: hops > 1 ? "\(base)?env=\(Format.query(environment))&hops=\(hops - 1)#lineage" : nil,
            history: .of(history), historyCut: true)
    }
}

extension ColumnSpec {
    /// The column's rules in a few words: `required, unique, 0…100, pattern ^…$`.
    var rules: String {
        var parts: [String] = []
        if required { parts.append("required") }
        if unique { parts.append("unique") }
        if min != nil || max != nil {
            parts.append("\(min.map { DataSample.number($0) } ?? "")…\(max.map { DataSample.number($0) } ?? "")")
        }
        if let pattern { parts.append("pattern \(pattern)") }
        if let accepted { parts.append("one of \(accepted.joined(separator: ", "))") }
        if minLength != nil || maxLength != nil {
            parts.append("length \(minLength.map(String.init) ?? "")…\(maxLength.map(String.init) ?? "")")
        }
        if let format { parts.append("format \(format.text)") }
        return parts.joined(separator: ", ")
    }
}

extension TableCheckKind {
    var summary: String {
        switch self {
        case .rowCount(let min, let max): "row count \(min.map(String.init) ?? "")…\(max.map(String.init) ?? "")"
        case .unique(let columns): "unique (\(columns.joined(separator: ", ")))"
        case .references(let column, let dataset, let target): "\(column) references \(dataset).\(target)"
        case .freshness(let column, let maxAge): "freshness of \(column) within \(maxAge)"
        }
    }
}
