import Foundation

/// What the alert rules are judged on, read from the store in one pass: the newest runs of each pipeline in
/// each environment, the newest gate result and version of each dataset in each environment, when
/// environments expire, how the newest garbage collection went and the recent denials on protected
/// environments. The service's alerts and the scrape-time gauges of `/metrics` read the same facts, so the
/// exported Prometheus rules judge what the service judges.
public struct AlertFacts: Sendable {
    public struct PipelineRuns: Sendable {
        public var pipeline: String
        public var environment: String
        /// The newest run, running or not.
        public var latest: RunRecord
        /// The newest run that ended.
        public var latestFinished: RunRecord?

        /// How long the newest run took, or has taken so far.
        public func latestDuration(at now: Timestamp) -> TimeSpan {
            TimeSpan(seconds: ((latest.endedAt ?? now).milliseconds - latest.startedAt.milliseconds) / 1000)
        }
    }

    public struct DatasetHead: Sendable {
        public var dataset: DatasetName
        public var environment: String
        /// When the version the environment holds was made.
        public var madeAt: Timestamp
    }

    public var now: Timestamp
    public var pipelines: [PipelineRuns] = []
    /// The newest gate result of every dataset in every environment.
    public var gates: [CheckRun] = []
    public var heads: [DatasetHead] = []
    public var expiries: [(environment: String, at: Timestamp, rule: String)] = []
    /// The newest garbage collection, when it failed.
    public var gcFailure: AuditEvent?
    /// Denials on protected environments since `deniedSince`, oldest first.
    public var protectedDenials: [(environment: String, event: AuditEvent)] = []

    public init(now: Timestamp) { self.now = now }

    /// How many recent runs of each pipeline are read to find the newest of each environment.
    static let runsPerPipeline = 50

    /// Reads the facts as `workspace` sees the store; denials are read from `deniedSince` on.
    public static func read(_ workspace: Workspace, now: Timestamp, deniedSince: Timestamp) async throws -> AlertFacts {
        let metadata = workspace.metadata
        var facts = AlertFacts(now: now)
        facts.pipelines = try await pipelineRuns(metadata)
        // Gates of batches landing in environments; those judging a step's outputs within a run (`run ID`)
        // fail the step, so its run's alert tells of them, and a run id is no label.
        facts.gates = try await metadata.latestCheckRuns(failedOnly: false).filter {
            NameRules.isEnvironmentName($0.environment)
        }
        let environments = try await metadata.environments()
        facts.heads = try await heads(of: environments, metadata)
        let collector = CollectorService(context: workspace.context)
        facts.expiries = environments.compactMap { record in
            collector.expiry(of: record).map { (record.name, $0.at, $0.rule) }
        }
        if let failed = try await metadata.latestAudit(action: "gc", outcome: .failed) {
            let succeeded = try await metadata.latestAudit(action: "gc", outcome: .succeeded)
            if (succeeded?.sequence ?? 0) < failed.sequence { facts.gcFailure = failed }
        }
        let project = workspace.project
        let denials = try await metadata.auditEvents(
            AuditFilter(outcome: .denied, since: deniedSince), page: PageRequest(limit: PageRequest.maximumLimit))
        facts.protectedDenials = denials.items.reversed().compactMap { event in
            let environment = String(event.draft.target.prefix { $0 != ":" })
            return project.isProtected(environment) ? (environment, event) : nil
        }
        return facts
    }

    private static func pipelineRuns(_ metadata: any MetadataStore) async throws -> [PipelineRuns] {
        var groups: [String: (latest: RunSummary, finished: RunSummary?)] = [:]
        // Newest first: the first of a group is its newest run, the first not running its newest finished.
        for summary in try await metadata.recentRuns(perPipeline: runsPerPipeline) {
            let key = "\(summary.pipeline)\u{0}\(summary.environment)"
            var group = groups[key] ?? (summary, nil)
            if group.finished == nil && summary.status != .running { group.finished = summary }
            groups[key] = group
        }
        var result: [PipelineRuns] = []
        for (_, group) in groups.sorted(by: { $0.key < $1.key }) {
            guard let latest = try await metadata.run(group.latest.id) else { continue }
            var finished: RunRecord?
            if let id = group.finished?.id { finished = id == latest.id ? latest : try await metadata.run(id) }
            result.append(
                PipelineRuns(
                    pipeline: latest.pipeline, environment: latest.environment, latest: latest,
                    latestFinished: finished))
        }
        return result
    }

    private static func heads(
        of environments: [EnvironmentRecord], _ metadata: any MetadataStore
    ) async throws
        -> [DatasetHead]
    {
        var held: [(String, [String: ObjectID])] = []
        for record in environments {
            guard let head = record.head, let commit = try await metadata.commit(head) else { continue }
            held.append((record.name, commit.content.datasets))
        }
        let versions = try await metadata.versions(Array(Set(held.flatMap { $0.1.values })))
        return held.flatMap { environment, datasets in
            datasets.sorted { $0.key < $1.key }.compactMap { name, id in
                guard let dataset = DatasetName(name), let version = versions[id] else { return nil }
                return DatasetHead(dataset: dataset, environment: environment, madeAt: version.createdAt)
            }
        }
    }
}
