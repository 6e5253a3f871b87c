import Foundation
import Logging

/// The engine's operations on one project and store, on behalf of one identity: the composition of the
/// use-case services, all over one `EngineContext`. Every operation checks access before it runs and leaves
/// an audit event for every change and every denial. The command line (local mode), the HTTP handlers and
/// the runner go through it; `RemoteEngine` offers the same operations through the service.
public struct Workspace: UseCase {
    public let context: EngineContext

    public init(context: EngineContext) { self.context = context }

    /// This workspace with its refusals counted by `denials` instead of appended one by one (a network request
    /// without credentials).
    public func countingDenials(_ denials: CountedDenials) -> Workspace {
        var context = context
        context.countedDenials = denials
        return Workspace(context: context)
    }

    public init(
        project: Project, objects: any ObjectStore, metadata: any MetadataStore, identity: Identity,
        gate: (any QualityGate)?, git: any GitInspector, files: any EngineFiles, appliedPolicy: AppliedPolicy? = nil,
        now: @escaping @Sendable () -> Timestamp = { .now() },
        logger: Logger = Logger(label: "sluice"), checkpoint: @escaping @Sendable (String) async -> Void = { _ in }
    ) {
        context = EngineContext(
            project: project, objects: objects, metadata: metadata, identity: identity, gate: gate, git: git,
            files: files, appliedPolicy: appliedPolicy, now: now, logger: logger, checkpoint: checkpoint)
    }
}

/// A use case of the engine: a small service over the one audited context. Its code reads the context's
/// values as its own (`project`, `identity`, `policy`, `metadata`…) and uses the context's audited helpers.
public protocol UseCase: Sendable {
    var context: EngineContext { get }
}

extension UseCase {
    public var project: Project { context.project }
    var objects: any ObjectStore { context.objects }
    var metadata: any MetadataStore { context.metadata }
    public var identity: Identity { context.identity }
    var policy: AccessPolicy { context.policy }
    /// What the caller may see (lists filter by it, without auditing what they hide).
    public var visibility: Visibility { context.visibility }
    public var git: any GitInspector { context.git }
    public var files: any EngineFiles { context.files }
    public var now: @Sendable () -> Timestamp { context.now }
    public var logger: Logger { context.logger }
    public var gate: (any QualityGate)? { context.gate }
    public var checkpoint: @Sendable (String) async -> Void { context.checkpoint }

    func audited<T>(
        _ action: String, target: String, details: [String: String] = [:],
        _ body: () async throws -> (T, [String: String])
    ) async throws -> T {
        try await context.audited(action, target: target, details: details, body)
    }

    func requireRead(_ environment: String, zone: String? = nil) async throws {
        try await context.requireRead(environment, zone: zone)
    }

    func requireRead(_ environment: String, dataset: DatasetName) async throws {
        try await context.requireRead(environment, dataset: dataset)
    }

    func record(_ action: String, target: String, outcome: AuditOutcome, details: [String: String]) async throws {
        try await context.record(action, target: target, outcome: outcome, details: details)
    }

    func saveCheckRun(_ run: CheckRun) async throws { try await context.saveCheckRun(run) }

    func vouchedCheckRun(forVersion version: ObjectID) async throws -> CheckRun? {
        try await context.vouchedCheckRun(forVersion: version)
    }

    func inlineAudit(ref: String, head: ObjectID?, _ more: [String: String] = [:]) -> AuditDraft? {
        context.inlineAudit(ref: ref, head: head, more)
    }

    func environmentRecord(_ name: String) async throws -> EnvironmentRecord {
        try await context.environmentRecord(name)
    }

    /// Every environment the store holds or the project declares by name, in name order.
    public func knownEnvironmentNames() async throws -> [String] { try await context.knownEnvironmentNames() }

    public func validEnvironmentName(_ name: String) throws -> String { try context.validEnvironmentName(name) }

    func headCommit(of record: EnvironmentRecord) async throws -> Commit? { try await context.headCommit(of: record) }
}

extension Workspace {
    /// The deliveries of this store's outbox (alerts, webhooks, OpenLineage events) over `transport`.
    public func deliveries(over transport: any OutboxTransport) -> OutboxDispatcher {
        OutboxDispatcher(metadata: metadata, transport: transport, logger: logger)
    }

    /// Refuses, audited, by a rule of the caller's own (a change without a session, a form from another site).
    public func refuse(
        _ message: String, remedy: String, action: String, target: String
    ) async throws -> Never {
        try await context.refuse(message, remedy: remedy, action: action, target: target)
    }

    /// Refuses, audited, unless the caller holds `permission` (`EngineContext.authorize`): for what callers
    /// outside the engine guard themselves (an admin's report, a change that needs a signed-in session).
    public func authorize(
        _ permission: Permission, action: String? = nil, target: String? = nil, details: [String: String] = [:]
    ) async throws {
        try await context.authorize(permission, action: action, target: target, details: details)
    }
}
