import Crypto
import Foundation

/// One dataset version in a lineage graph: how it was made (`made` is `nil` for ingested data) and the
/// versions it was made from or that were made from it.
public struct LineageNode: Sendable, Codable, Hashable {
    public var dataset: DatasetName
    public var version: ObjectID
    public var made: LineageRecord?
    /// `ingest SOURCE` for data that came in through a source.
    public var origin: String?
    public var upstream: [LineageNode]
    public var downstream: [LineageNode]
}

/// Which way to follow lineage.
public struct LineageDirections: OptionSet, Sendable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }
    public static let upstream = LineageDirections(rawValue: 1)
    public static let downstream = LineageDirections(rawValue: 2)
}

/// Lineage: how a version was made and what was made from it, also as OpenLineage events.
public struct LineageService: UseCase {
    public let context: EngineContext

    public init(context: EngineContext) { self.context = context }

    /// The lineage of `DATASET[@VERSION]` in an environment: what it was made from, what was made from it.
    public func lineage(
        _ reference: String, in environment: String?, directions: LineageDirections
    ) async throws -> LineageNode {
        let reference = try DatasetReference(parsing: reference)
        let dataset = reference.dataset
        let environment = try validEnvironmentName(environment ?? project.defaultEnvironment)
        try await requireRead(environment, dataset: dataset)
        let record = try await environmentRecord(environment)
        let version = try await resolveVersion(dataset, prefix: reference.versionPrefix, in: record)
        try await touch(record)
        var budget = 10_000  // a bound on nodes, whatever the store holds
        return try await node(dataset, version.id, directions: directions, budget: &budget)
    }

    private func node(
        _ dataset: DatasetName, _ version: ObjectID, directions: LineageDirections, budget: inout Int
    ) async throws -> LineageNode {
        budget -= 1
        let made = try await metadata.lineage(of: version)
        var origin: String?
        if made == nil { origin = try await metadata.checkRun(forVersion: version)?.origin }
        var node = LineageNode(
            dataset: dataset, version: version, made: made, origin: origin, upstream: [], downstream: [])
        guard budget > 0 else { return node }
        if directions.contains(.upstream), let made {
            for (input, id) in made.inputs.sorted(by: { $0.key < $1.key }) {
                guard let name = DatasetName(input) else { continue }
                node.upstream.append(try await self.node(name, id, directions: .upstream, budget: &budget))
            }
        }
        if directions.contains(.downstream) {
            for record in try await metadata.lineage(consuming: version) {
                node.downstream.append(
                    try await self.node(record.dataset, record.version, directions: .downstream, budget: &budget))
            }
        }
        return node
    }

    /// OpenLineage RunEvents for every step run in a lineage graph as it stands in `environment`: START and
    /// COMPLETE per step run, with input and output datasets, their schemas, and the outputs' data-quality
    /// assertions, all in `environment`'s namespace (a version promoted from dev was made by dev's run, which the
    /// run facet names; to prod's graph it is prod's).
    public func openLineageEvents(_ root: LineageNode, in environment: String) async throws -> [[String: Any]] {
        var records: [ObjectID: LineageRecord] = [:]
        func collect(_ node: LineageNode) {
            if let made = node.made { records[node.version] = made }
            node.upstream.forEach(collect)
            node.downstream.forEach(collect)
        }
        collect(root)
        // One job run per step run: a step with several outputs is one run.
        var stepRuns: [String: [LineageRecord]] = [:]
        for record in records.values { stepRuns["\(record.runID)/\(record.step)", default: []].append(record) }
        var events: [[String: Any]] = []
        for (_, group) in stepRuns.sorted(by: { ($0.value[0].startedAt, $0.key) < ($1.value[0].startedAt, $1.key) }) {
            let first = group[0]
            let runID = Self.uuid("\(first.runID)/\(first.step)")
            let namespace = openLineageNamespace(environment)
            let job: [String: Any] = ["namespace": namespace, "name": "\(first.pipeline).\(first.step)"]
            var inputs: [[String: Any]] = []
            for (name, version) in first.inputs.sorted(by: { $0.key < $1.key }) {
                inputs.append(try await openLineageDataset(name, version, in: namespace, assertions: false))
            }
            var outputs: [[String: Any]] = []
            for record in group.sorted(by: { $0.dataset.description < $1.dataset.description }) {
                outputs.append(
                    try await openLineageDataset(
                        record.dataset.description, record.version, in: namespace, assertions: true))
            }
            let runFacets: [String: Any] = [
                "processing_engine": Self.facet(
                    "ProcessingEngineRunFacet", ["version": first.engineVersion, "name": "sluice"]),
                "sluice": Self.facet(
                    "SluiceRunFacet",
                    [
                        "runId": first.runID, "cacheKey": first.cacheKey, "gitCommit": first.gitCommit ?? "",
                        "environment": first.environment,
                    ]),
            ]
            for (type, time) in [("START", first.startedAt), ("COMPLETE", first.endedAt)] {
                events.append([
                    "eventType": type, "eventTime": time.iso8601,
                    "run": ["runId": runID, "facets": runFacets], "job": job,
                    "inputs": inputs, "outputs": outputs,
                    "producer": Self.producer,
                    "schemaURL": Self.runEventSchema,
                ])
            }
        }
        return events
    }

    /// The namespace of `environment`'s datasets and jobs (`OpenLineageSettings.namespace`).
    func openLineageNamespace(_ environment: String) -> String {
        OpenLineageSettings.namespace(store: project.openLineage?.store ?? project.name, environment: environment)
    }

    func openLineageDataset(
        _ name: String, _ version: ObjectID, in namespace: String, assertions: Bool
    ) async throws -> [String: Any] {
        var facets: [String: Any] = [
            "version": Self.facet("DatasetVersionDatasetFacet", ["datasetVersion": version.hex])
        ]
        // Counts come from what was stored, not from a gate report (which may have judged more rows, or none).
        let stored = try await metadata.version(version)
        let rows = stored?.manifest.rows ?? 0
        if let stored {
            let types = DatasetName(name).flatMap { project.datasets[$0] }?.columns
            facets["schema"] = Self.facet(
                "SchemaDatasetFacet",
                [
                    "fields": stored.manifest.schema.map { column -> [String: Any] in
                        ["name": column, "type": types?.first { $0.name == column }?.type.rawValue ?? "string"]
                    }
                ])
        }
        var dataset: [String: Any] = ["namespace": namespace, "name": name, "facets": facets]
        if let check = try await metadata.checkRun(forVersion: version) {
            let quality: [String: Any] = [
                "rowCount": rows, "columnMetrics": [String: Any](),
            ]
            if assertions {
                facets["dataQualityAssertions"] = Self.facet(
                    "DataQualityAssertionsDatasetFacet",
                    [
                        "assertions": check.report.checks.map { result -> [String: Any] in
                            var assertion: [String: Any] = ["assertion": result.id, "success": result.success]
                            if let column = result.column { assertion["column"] = column }
                            return assertion
                        }
                    ])
                dataset["facets"] = facets
                dataset["outputFacets"] = [
                    "outputStatistics": Self.facet(
                        "OutputStatisticsOutputDatasetFacet",
                        ["rowCount": rows, "size": stored?.manifest.bytes ?? 0])
                ]
            } else {
                dataset["inputFacets"] = [
                    "dataQualityMetrics": Self.facet("DataQualityMetricsInputDatasetFacet", quality)
                ]
            }
        }
        return dataset
    }

    static let producer = "urn:sluice:engine:\(EngineVersion.current)"

    /// The spec versions of the standard facets used; Sluice's own facet names its own schema.
    private static let facetVersions = [
        "DatasetVersionDatasetFacet": "1-0-1", "SchemaDatasetFacet": "1-2-0",
        "DataQualityAssertionsDatasetFacet": "1-1-0", "DataQualityMetricsInputDatasetFacet": "1-0-3",
        "OutputStatisticsOutputDatasetFacet": "1-0-2", "ProcessingEngineRunFacet": "1-1-1",
        "ParentRunFacet": "1-2-0", "SQLJobFacet": "1-1-0", "JobTypeJobFacet": "2-0-4",
        "ErrorMessageRunFacet": "1-0-1",
    ]

    static let runEventSchema = "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent"

    static func facet(_ name: String, _ fields: [String: Any]) -> [String: Any] {
        var facet = fields
        facet["_producer"] = producer
        facet["_schemaURL"] =
            facetVersions[name].map { "https://openlineage.io/spec/facets/\($0)/\(name).json#/$defs/\(name)" }
            ?? "urn:sluice:facets:\(name):1"
        return facet
    }

    /// A UUID (version 5 layout) derived from a name, so the same step run always has the same run id.
    static func uuid(_ name: String) -> String {
        var bytes = Array(SHA256.hash(data: Data(name.utf8)).prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x50
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let hex = bytes.map { String(format: "%02x", $0) }.joined()
        let parts = [
            hex.prefix(8), hex.dropFirst(8).prefix(4), hex.dropFirst(12).prefix(4), hex.dropFirst(16).prefix(4),
            hex.dropFirst(20),
        ]
        return parts.joined(separator: "-")
    }
}
