/// What `sluice status` shows: the project, who is acting, every environment and the audit chain's health.
public struct StatusReport: Sendable, Codable, Hashable {
    public var project: String
    public var root: String
    /// The git commit the project in force was read from (`nil`: the work tree), and why a later one is not.
    public var commit: String? = nil
    public var refusal: String? = nil
    public var actingAs: String
    public var authentication: Authentication
    public var environments: [EnvironmentSummary]
    public var sources: [String]
    public var datasets: Int
    public var pipelines: [PipelineStatus]
    /// Environments that expire within a week unless used: name and when.
    public var expiringSoon: [ExpiringEnvironment]
    public var auditEvents: Int
    public var auditIntact: Bool
    public var recentEvents: [AuditEvent]

    public struct ExpiringEnvironment: Sendable, Codable, Hashable {
        public var name: String
        public var expiresAt: Timestamp
    }

    public struct PipelineStatus: Sendable, Codable, Hashable {
        public var name: String
        public var steps: Int
        public var schedule: String?
        /// The last run: its id, status, environment and start.
        public var lastRun: String?
        public var lastRunStatus: RunStatus?
        public var lastRunEnvironment: String?
        public var lastRunAt: Timestamp?
    }
}

/// The project at a glance.
public struct StatusService: UseCase {
    public let context: EngineContext

    public init(context: EngineContext) { self.context = context }

    public func status() async throws -> StatusReport {
        // The chain, not every record it vouches for: that reads every run (sluice audit verify does it).
        let audit = try await VerificationService(context: context).verifyAudit(authority: false)
        let environments = try await EnvironmentService(context: context).listEnvironments()
        let now = self.now()
        let soon = environments.compactMap { summary -> StatusReport.ExpiringEnvironment? in
            guard let at = summary.expiresAt, at.milliseconds - now.milliseconds <= 7 * 86_400_000 else { return nil }
            return .init(name: summary.name, expiresAt: at)
        }
        for expiring in soon {
            // Announced before it happens, in the logs as on the screen.
            logger.notice(
                "environment \(expiring.name) expires at \(expiring.expiresAt) unless it is used",
                metadata: ["event.action": "environment-expiring", "environment": "\(expiring.name)"])
        }
        // The latest events only for those who may read the audit log.
        let recent =
            visibility.mayReadAudit
            ? try await metadata.auditEvents(AuditFilter(), page: PageRequest(limit: 5)).items.reversed() : []
        return StatusReport(
            project: project.name, root: project.root.path, commit: project.committed, refusal: project.refusal,
            actingAs: identity.name,
            authentication: identity.authentication,
            environments: environments, sources: project.sources.keys.sorted(),
            datasets: project.datasets.count,
            pipelines: try await project.pipelines.values.sorted { $0.name < $1.name }.asyncMap { pipeline in
                let last = try await RunService(context: context).runPage(
                    RunFilter(pipeline: pipeline.name), page: PageRequest(limit: 20)
                ).items
                    .first
                return .init(
                    name: pipeline.name, steps: pipeline.steps.count, schedule: pipeline.schedule, lastRun: last?.id,
                    lastRunStatus: last?.status, lastRunEnvironment: last?.environment, lastRunAt: last?.startedAt)
            },
            expiringSoon: soon, auditEvents: audit.events, auditIntact: audit.ok, recentEvents: Array(recent))
    }
}

extension Sequence {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var results: [T] = []
        for element in self { results.append(try await transform(element)) }
        return results
    }
}
