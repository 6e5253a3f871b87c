import Foundation
import SluiceAPIContract
import SluiceCore

extension APIHandler {
    /// The status, the project, tokens, the audit log and its verification, the store's verification, the
    /// access policy and garbage collection.
    func getStatus(_ input: Operations.GetStatus.Input) async throws -> Operations.GetStatus.Output {
        .ok(.init(body: .json(try await workspace.status())))
    }

    func getProject(_ input: Operations.GetProject.Input) async throws -> Operations.GetProject.Output {
        let workspace = try workspace
        try await workspace.authorize(
            .someGrant("read the project's outline"), action: "project.read", target: "project")
        return .ok(.init(body: .json(try await workspace.project())))
    }

    func listTokens(_ input: Operations.ListTokens.Input) async throws -> Operations.ListTokens.Output {
        let tokens = try await workspace.listTokens()
        return .ok(.init(body: .json(try Self.paged(tokens, limit: input.query.limit, after: input.query.after))))
    }

    func createToken(_ input: Operations.CreateToken.Input) async throws -> Operations.CreateToken.Output {
        switch input.body {
        case .json(let body): return .created(.init(body: .json(try await workspace.createToken(for: body.principal))))
        }
    }

    func revokeToken(_ input: Operations.RevokeToken.Input) async throws -> Operations.RevokeToken.Output {
        try await workspace.revokeToken(id: input.path.id)
        return .ok(.init(body: .json(.init(revoked: input.path.id))))
    }

    func listAuditEvents(_ input: Operations.ListAuditEvents.Input) async throws -> Operations.ListAuditEvents.Output {
        let query = input.query
        var filter = AuditFilter(action: query.action, principal: query.principal, target: query.target)
        filter.outcome = query.outcome.flatMap { AuditOutcome(rawValue: $0.rawValue) }
        let page = try Self.page(limit: query.limit, after: query.after)
        return .ok(.init(body: .json(try await workspace.auditPage(filter, page: page))))
    }

    func verifyAudit(_ input: Operations.VerifyAudit.Input) async throws -> Operations.VerifyAudit.Output {
        let workspace = try workspace
        try await workspace.authorize(.admin("verify the audit chain"), action: "audit.verify", target: "audit")
        return .ok(.init(body: .json(try await workspace.verifyAudit(authority: true))))
    }

    /// Rehashing every object is the service's heaviest read: an admin's to ask for.
    func verifyStore(_ input: Operations.VerifyStore.Input) async throws -> Operations.VerifyStore.Output {
        let workspace = try workspace
        try await workspace.authorize(.admin("verify the store"), action: "store.verify", target: "store")
        return .ok(.init(body: .json(try await workspace.verifyStore())))
    }

    /// The service plans what is committed at HEAD, read from git (never its copy loaded at start).
    func planPolicy(_ input: Operations.PlanPolicy.Input) async throws -> Operations.PlanPolicy.Output {
        let workspace = try workspace
        try await workspace.authorize(.admin("review the access policy"), action: "policy.plan", target: "policy")
        return .ok(.init(body: .json(try await workspace.planPolicy(against: input.query.against, committed: true))))
    }

    func applyPolicy(_ input: Operations.ApplyPolicy.Input) async throws -> Operations.ApplyPolicy.Output {
        .ok(.init(body: .json(try await workspace.applyPolicy())))
    }

    /// `grace` (default 1h): objects written this recently are kept whatever refers to them.
    func planGarbageCollection(
        _ input: Operations.PlanGarbageCollection.Input
    ) async throws -> Operations.PlanGarbageCollection.Output {
        let grace = try Self.grace(input.query.grace)
        return .ok(.init(body: .json(try await workspace.collectGarbage(dryRun: true, grace: grace))))
    }

    func collectGarbage(_ input: Operations.CollectGarbage.Input) async throws -> Operations.CollectGarbage.Output {
        let grace: TimeSpan
        switch input.body {
        case .json(let body): grace = try Self.grace(body.grace)
        case nil: grace = try Self.grace(nil)
        }
        return .ok(.init(body: .json(try await workspace.collectGarbage(dryRun: false, grace: grace))))
    }

    static func grace(_ text: String?) throws -> TimeSpan {
        try span(text, field: "grace") ?? TimeSpan(seconds: 3_600)
    }
}
