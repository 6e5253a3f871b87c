import Foundation

/// Where the applied policy lives: in the audit chain, as the newest `policy.apply` event's `policy`
/// detail. Applying is one append, so the policy and its audit event can never disagree, and the chain's
/// verification covers every policy ever in force.
public struct PolicyLedger: Sendable {
    public static let action = "policy.apply"

    public let metadata: any MetadataStore

    public init(metadata: any MetadataStore) {
        self.metadata = metadata
    }

    /// The newest applied policy, with the event that applied it; `nil` on a store that never had one.
    public func current() async throws -> (policy: AppliedPolicy, event: AuditEvent)? {
        guard let event = try await metadata.latestAudit(action: Self.action, outcome: .succeeded) else { return nil }
        guard let text = event.draft.details["policy"], let policy = try? AppliedPolicy.decode(text) else {
            throw InternalError(
                "audit event \(event.sequence) applied a policy that cannot be read; run sluice audit verify")
        }
        return (policy, event)
    }

    /// The policy in force. A store that never had one takes the project's, once: only from a clean git
    /// tree (so it is what the repository says, at a recorded commit), recorded as the bootstrap.
    public func inForce(project: Project, git: any GitInspector, now: Timestamp) async throws -> AppliedPolicy {
        if let (policy, _) = try await current() { return policy }
        let state = await git.state(of: project.root)
        guard state.isClean, let commit = state.commit else {
            throw UsageError(
                "no access policy has been applied to this store yet, and the project's git work tree is not clean",
                hint:
                    "commit the project (git add -A && git commit) and run the command again: the first command on a clean tree applies the committed policy"
            )
        }
        let policy = AppliedPolicy(project: project)
        let draft = try Self.draft(
            policy, time: now, principal: "sluice", authentication: .anonymous, gitCommit: commit,
            extra: ["bootstrap": "true"])
        // However many first commands race here, one applies the bootstrap; the others take what it applied.
        guard try await metadata.appendFirstAudit(draft) != nil else {
            guard let (applied, _) = try await current() else {
                throw InternalError("the bootstrap policy was applied by another command but cannot be read")
            }
            return applied
        }
        return policy
    }

    /// The audit event that applies `policy`.
    static func draft(
        _ policy: AppliedPolicy, time: Timestamp, principal: String, authentication: Authentication, gitCommit: String,
        extra: [String: String] = [:]
    ) throws -> AuditDraft {
        AuditDraft(
            time: time, principal: principal, authentication: authentication, action: action, target: "policy",
            outcome: .succeeded,
            details: ["policy": try policy.encoded(), "digest": try policy.digest(), "git_commit": gitCommit].merging(
                extra
            ) { $1 })
    }
}
