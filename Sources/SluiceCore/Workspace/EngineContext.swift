import Foundation
import Logging

/// The one context every use case of the engine runs in: the project and its stores, who is acting
/// (`identity`), what they may do (`policy`, the one in force), and the audit chain that every change and
/// every denial goes into, atomically with it. The services (`EnvironmentService`, `RunService`, …) are
/// small structs over it; `Workspace` composes them.
public struct EngineContext: Sendable {
    public let project: Project
    // The stores and the policy are the use cases' own: code outside the engine reaches data only through
    // them, and asks `authorize` or `visibility` about access.
    let objects: any ObjectStore
    let metadata: any MetadataStore
    public let identity: Identity
    let policy: AccessPolicy
    public let git: any GitInspector
    /// Where landing files and files named by callers are read.
    public let files: any EngineFiles
    public let now: @Sendable () -> Timestamp
    public let logger: Logger
    /// Checks incoming data against contracts; `nil` refuses data for datasets that declare a contract.
    public let gate: (any QualityGate)?
    /// Fault-injection points for tests of races and crashes; a no-op in normal use.
    public let checkpoint: @Sendable (String) async -> Void
    /// Set for a network request without credentials: its refusals are counted, not appended one by one.
    public var countedDenials: CountedDenials?

    public init(
        project: Project, objects: any ObjectStore, metadata: any MetadataStore, identity: Identity,
        gate: (any QualityGate)?, git: any GitInspector, files: any EngineFiles, appliedPolicy: AppliedPolicy? = nil,
        now: @escaping @Sendable () -> Timestamp = { .now() },
        logger: Logger = Logger(label: "sluice"), checkpoint: @escaping @Sendable (String) async -> Void = { _ in }
    ) {
        self.project = project
        self.objects = ObjectVault(store: objects, marks: metadata, now: now)
        self.metadata = metadata
        self.identity = identity
        self.policy = AccessPolicy(applied: appliedPolicy ?? AppliedPolicy(project: project))
        self.gate = gate
        self.git = git
        self.files = files
        self.now = now
        self.logger = logger
        self.checkpoint = checkpoint
    }

    /// Runs a change with its audit event: `succeeded` with the details it returns, `denied` when access is
    /// refused, `failed` when it throws anything else. The error is rethrown unchanged. A change that moves
    /// or creates a ref writes the success event in the same transaction (`InlineAudit`).
    func audited<T>(
        _ action: String, target: String, details: [String: String] = [:],
        _ body: () async throws -> (T, [String: String])
    ) async throws -> T {
        let inline = InlineAudit(action: action, target: target, details: details)
        do {
            let (result, more) = try await InlineAudit.$current.withValue(inline) { try await body() }
            if inline.isWritten {
                EngineMetrics.audited(action: action, outcome: .succeeded)
            } else {
                try await record(action, target: target, outcome: .succeeded, details: details.merging(more) { $1 })
            }
            return result
        } catch let error as AccessDenied {
            // Audited where it was decided (`authorize`).
            throw error
        } catch let error as SluiceError {
            try await record(
                action, target: target, outcome: .failed,
                details: details.merging(["reason": error.auditReason]) { $1 }.merging(error.auditDetails) { $1 })
            throw error
        }
    }

    /// Checks read access (`authorize`: a refusal is audited as a `read` of what was asked).
    func requireRead(_ environment: String, zone: String? = nil) async throws {
        try await authorize(
            .environment(.read, environment, zone: zone), action: "read",
            target: zone.map { "\(environment):\($0)" } ?? environment)
    }

    /// Checks that the identity may read `dataset` (grant and classification ceiling); audits a denial.
    func requireRead(_ environment: String, dataset: DatasetName) async throws {
        try await authorize(.read(dataset, in: environment), action: "read", target: "\(environment):\(dataset)")
    }

    /// Keeps a gate result with the `gate.judge` event that vouches for it, in one transaction.
    func saveCheckRun(_ run: CheckRun) async throws {
        try await metadata.saveCheckRun(run, audit: try run.auditDraft(by: identity, at: now()))
        EngineMetrics.audited(action: CheckRun.auditAction, outcome: run.passed ? .succeeded : .failed)
    }

    /// The newest gate result of `version`, once the audit chain vouches for it as kept; throws
    /// `TamperedRecord` when it does not (a row added or edited outside Sluice).
    func vouchedCheckRun(forVersion version: ObjectID) async throws -> CheckRun? {
        guard let run = try await metadata.checkRun(forVersion: version) else { return nil }
        if let problem = try run.unvouched(
            by: try await metadata.auditEvents(action: CheckRun.auditAction, target: run.id))
        {
            throw TamperedRecord(problem)
        }
        return run
    }

    func record(_ action: String, target: String, outcome: AuditOutcome, details: [String: String]) async throws {
        let draft = AuditDraft(
            time: now(), principal: identity.name, authentication: identity.authentication, action: action,
            target: target, outcome: outcome, details: details)
        if outcome == .denied, let countedDenials {
            countedDenials.count(draft)
            return
        }
        try await metadata.appendAudit(draft)
        EngineMetrics.audited(action: action, outcome: outcome)
        logger.info(
            "\(action) \(target) \(outcome.rawValue)",
            metadata: [
                "user.name": "\(identity.name)", "auth": "\(identity.authentication.rawValue)",
                "event.action": "\(action)", "event.kind": "event",
                "event.outcome": "\(outcome == .succeeded ? "success" : "failure")",
            ])
    }

    /// The success event of the operation running now, with the ref it moves, for the store to append in
    /// the same transaction as the move; `nil` outside `audited`.
    func inlineAudit(ref: String, head: ObjectID?, _ more: [String: String] = [:]) -> AuditDraft? {
        InlineAudit.current?.take(
            more.merging(["ref": ref, "head": head?.hex ?? "empty"]) { $1 }, identity: identity, time: now())
    }

    /// The stored environment, or the implicit empty one for a declared concrete name.
    func environmentRecord(_ name: String) async throws -> EnvironmentRecord {
        if let record = try await metadata.environment(name) { return record }
        if project.environments.contains(where: { $0.pattern.isConcrete && $0.pattern.text == name }) {
            return EnvironmentRecord(name: name, head: nil, createdAt: now(), createdBy: "sluice")
        }
        let known = try await knownEnvironmentNames().joined(separator: ", ")
        throw UsageError.notFound(
            "no environment \(NameRules.quoted(name))",
            hint: "environments: \(known); create one with sluice env create NAME --from ENV")
    }

    func knownEnvironmentNames() async throws -> [String] {
        let stored = try await metadata.environments().map(\.name)
        let declared = project.environments.filter(\.pattern.isConcrete).map(\.pattern.text)
        return Array(Set(stored + declared)).sorted()
    }

    public func validEnvironmentName(_ name: String) throws -> String {
        guard NameRules.isEnvironmentName(name) else {
            throw UsageError(
                "\(NameRules.quoted(name)) is not a valid environment name",
                hint: "use lower-case letters, digits, _ and -, in up to four segments joined by / (sandbox/alice-exp)")
        }
        return name
    }

    func headCommit(of record: EnvironmentRecord) async throws -> Commit? {
        guard let head = record.head else { return nil }
        guard let commit = try await metadata.commit(head) else {
            throw InternalError(
                "environment \(record.name) points at commit \(head.short), which is missing from the store; run sluice verify"
            )
        }
        return commit
    }
}
