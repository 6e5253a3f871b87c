import Foundation

/// The access policy in force: planned against sluice.yaml, applied by an admin from a committed tree.
public struct PolicyService: UseCase {
    public let context: EngineContext

    public init(context: EngineContext) { self.context = context }

    /// What `applyPolicy` would change: the project's declared policy against the one in force; and the
    /// review of the project's files against git revision `against` (default: the commit the policy in force
    /// was applied from, else HEAD). A baseline that cannot be read fails only when it was asked for.
    /// With `committed` (the service's way), the project planned is the one committed at HEAD, read from
    /// git, never the copy loaded earlier or the work tree; without it (the command line's), the project as
    /// the work tree holds it, so a change can be reviewed before it is committed.
    public func planPolicy(against: String? = nil, committed: Bool = false) async throws -> PolicyPlan {
        let project = committed ? try committedProject(at: "HEAD").project : self.project
        var plan = try await changes(to: AppliedPolicy(project: project))
        let revision = against ?? plan.appliedCommit ?? "HEAD"
        let described =
            against.map { "git revision \($0)" }
            ?? plan.appliedCommit.map { "the policy in force (applied from commit \($0.prefix(12)))" }
            ?? "HEAD (no policy applied yet)"
        do {
            let before = try revisionProject(revision, validated: false).project
            plan.review = PolicyReview(before: before, after: project, against: described)
        } catch let error as UsageError where against == nil {
            plan.reviewProblem = error.message
        }
        return plan
    }

    /// What making `policy` the one in force would change, against the policy in force and its commit.
    private func changes(to policy: AppliedPolicy) async throws -> PolicyPlan {
        let current = try await PolicyLedger(metadata: metadata).current()
        var plan = PolicyPlan(from: current?.policy, to: policy)
        plan.appliedCommit = current?.event.draft.details["git_commit"]
        return plan
    }

    /// The project exactly as committed at `revision`, read from git and validated: what a policy is applied
    /// from, whatever the work tree or a copy loaded earlier says.
    func committedProject(at revision: String) throws -> (project: Project, commit: String) {
        try revisionProject(revision, validated: true)
    }

    /// The project's files at `revision`, unpacked into a private temporary folder that is removed after
    /// loading.
    private func revisionProject(_ revision: String, validated: Bool) throws -> (project: Project, commit: String) {
        let (folder, commit) = try git.projectFiles(at: revision, of: self.project.root)
        defer { try? FileManager.default.removeItem(at: CommittedProject.unpacked(folder)) }
        let loader = ProjectLoader(files: files)
        if validated {
            do {
                return (try loader.loadValidated(root: folder).project, commit)
            } catch let error as ProjectError {
                throw UsageError(
                    "the project committed at \(commit.prefix(12)) is not valid, so its policy cannot be applied:\n\(error)",
                    hint: "sluice validate in a checkout of that commit shows where")
            }
        }
        guard let project = try loader.load(root: folder).0 else {
            throw UsageError("the \(ProjectLoader.projectFileName) of \(revision) cannot be read")
        }
        return (project, commit)
    }

    /// Makes the project's declared policy (environments' protection, roles, grants, principals) the one in
    /// force. Needs a token-authenticated store-wide admin under the policy in force now, and a clean git
    /// tree: the policy applied is the committed one, and its commit is recorded. The policy.apply event
    /// is the change itself; a denial or failure is audited under the same action.
    public func applyPolicy() async throws -> PolicyPlan {
        do {
            try await authorize(.admin("apply the access policy"), action: PolicyLedger.action, target: "policy")
            let state = await git.state(of: project.root)
            guard state.isClean, let commit = state.commit else {
                throw UsageError(
                    "the project's git work tree has uncommitted changes (or no commit); only a committed policy is applied",
                    hint: "commit it first; changes: \(state.changes.prefix(5).joined(separator: ", "))")
            }
            // The policy applied is the one committed at that commit, read from git: never the copy of the
            // project loaded earlier (a service's) nor the work tree.
            let applied = AppliedPolicy(project: try committedProject(at: commit).project)
            let plan = try await changes(to: applied)
            guard !plan.changes.isEmpty else { return plan }
            try await metadata.appendAudit(
                try PolicyLedger.draft(
                    applied, time: now(), principal: identity.name,
                    authentication: identity.authentication, gitCommit: commit))
            return plan
        } catch let error as AccessDenied {
            throw error
        } catch let error as SluiceError {
            try await record(
                PolicyLedger.action, target: "policy", outcome: .failed, details: ["reason": error.auditReason])
            throw error
        }
    }
}
