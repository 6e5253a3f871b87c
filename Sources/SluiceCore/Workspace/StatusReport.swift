/// What `sluice status` shows: the project, who is acting, every environment and the audit chain's health.
public struct StatusReport: Sendable, Codable {
    public var project: String
    public var root: String
    public var actingAs: String
    public var authentication: Authentication
    public var environments: [EnvironmentSummary]
    public var sources: [String]
    public var datasets: Int
    public var pipelines: [PipelineStatus]
    public var auditEvents: Int
    public var auditIntact: Bool
    public var recentEvents: [AuditEvent]

    public struct PipelineStatus: Sendable, Codable {
        public var name: String
        public var steps: Int
        public var schedule: String?
        /// The last run; runs arrive with the pipeline runner.
        public var lastRun: String?
    }
}

extension Workspace {
    public func status() async throws -> StatusReport {
        let audit = try await verifyAudit()
        let events = try await metadata.auditEvents()
        return StatusReport(
            project: project.name, root: project.root.path, actingAs: identity.name,
            authentication: identity.authentication,
            environments: try await listEnvironments(), sources: project.sources.keys.sorted(),
            datasets: project.datasets.count,
            pipelines: project.pipelines.values.sorted { $0.name < $1.name }.map {
                .init(name: $0.name, steps: $0.steps.count, schedule: $0.schedule, lastRun: nil)
            },
            auditEvents: audit.events, auditIntact: audit.ok, recentEvents: Array(events.suffix(5)))
    }
}
