import Foundation
import OpenAPIRuntime
import SluiceAPIContract
import SluiceCore

extension RemoteEngine {
    public func createToken(for principal: String) async throws -> CreatedToken {
        try await call { try await $0.createToken(body: .json(.init(principal: principal))).created.body.json }
    }

    public func listTokens() async throws -> [TokenSummary] {
        try await all { try await $0.listTokens(query: .init(limit: $1, after: $2)).ok.body.json }
    }

    public func revokeToken(id: String) async throws {
        _ = try await call { try await $0.revokeToken(path: .init(id: id)).ok.body.json }
    }

    public func auditPage(_ filter: AuditFilter, page: PageRequest) async throws -> Page<AuditEvent> {
        let query = Operations.ListAuditEvents.Input.Query(
            action: filter.action, principal: filter.principal,
            outcome: filter.outcome.flatMap { .init(rawValue: $0.rawValue) }, target: filter.target,
            limit: page.limit, after: page.after)
        return try await call { try await $0.listAuditEvents(query: query).ok.body.json }
    }

    public func verifyAudit() async throws -> AuditVerification {
        try await call { try await $0.verifyAudit().ok.body.json }
    }

    public func verifyStore() async throws -> StoreVerification {
        try await call { try await $0.verifyStore().ok.body.json }
    }

    public func collectGarbage(dryRun: Bool, grace: TimeSpan) async throws -> GCReport {
        if dryRun {
            return try await call {
                try await $0.planGarbageCollection(query: .init(grace: grace.description)).ok.body.json
            }
        }
        return try await call { try await $0.collectGarbage(body: .json(.init(grace: grace.description))).ok.body.json }
    }

    public func planPolicy(against: String?) async throws -> PolicyPlan {
        try await call { try await $0.planPolicy(query: .init(against: against)).ok.body.json }
    }

    public func applyPolicy() async throws -> PolicyPlan {
        try await call { try await $0.applyPolicy().ok.body.json }
    }
}
