/// The access policy in force: planned against sluice.yaml, applied by an admin from a committed tree.
public struct PolicyService: UseCase {
    public let context: EngineContext

    public init(context: EngineContext) { self.context = context }

    /// What `applyPolicy` would change: the project's declared policy against the one in force.
    public func planPolicy() async throws -> PolicyPlan {
        let current = try await PolicyLedger(metadata: metadata).current()?.policy
        return PolicyPlan(from: current, to: AppliedPolicy(project: project))
    }

    /// Makes the project's declared policy (environments' protection, roles, grants, principals) the one in
    /// force. Needs a token-authenticated store-wide admin under the policy in force now, and a clean git
    /// tree: the policy applied is the committed one, and its commit is recorded. The policy.apply event
    /// is the change itself; a denial or failure is audited under the same action.
    public func applyPolicy() async throws -> PolicyPlan {
        do {
            try policy.requireAdmin(by: identity, for: "apply the access policy")
            let state = await git.state(of: project.root)
            guard state.isClean, let commit = state.commit else {
                throw UsageError(
                    "the project's git work tree has uncommitted changes (or no commit); only a committed policy is applied",
                    hint: "commit it first; changes: \(state.changes.prefix(5).joined(separator: ", "))")
            }
            let plan = try await planPolicy()
            guard !plan.changes.isEmpty else { return plan }
            try await metadata.appendAudit(
                try PolicyLedger.draft(
                    AppliedPolicy(project: project), time: now(), principal: identity.name,
                    authentication: identity.authentication, gitCommit: commit))
            return plan
        } catch let error as AccessDenied {
            try await record(
                PolicyLedger.action, target: "policy", outcome: .denied, details: ["reason": error.message])
            throw error
        } catch let error as SluiceError {
            try await record(
                PolicyLedger.action, target: "policy", outcome: .failed, details: ["reason": error.auditReason])
            throw error
        }
    }
}
