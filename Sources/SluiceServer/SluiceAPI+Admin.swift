import Foundation
import Hummingbird
import SluiceCore
import SluiceWeb

extension SluiceAPI {
    /// The project, verification, the access policy and garbage collection.
    func addAdminRoutes(_ v1: RouterGroup<SluiceRequestContext>) {
        v1.get("project") { request, _ in
            await handle(request) { workspace in
                try await workspace.authorize(
                    .someGrant("read the project's outline"), action: "project.read", target: "project")
                return try APIResponse.json(try await workspace.project())
            }
        }
        v1.get("audit/verify") { request, _ in
            await handle(request) { workspace in
                try await workspace.authorize(.admin("verify the audit chain"), action: "audit.verify", target: "audit")
                return try APIResponse.json(try await workspace.verifyAudit(authority: true))
            }
        }
        v1.get("store/verify") { request, _ in
            // Rehashing every object is the service's heaviest read: an admin's to ask for.
            await handle(request) { workspace in
                try await workspace.authorize(.admin("verify the store"), action: "store.verify", target: "store")
                return try APIResponse.json(try await workspace.verifyStore())
            }
        }
        v1.get("policy/plan") { request, _ in
            let against = request.uri.queryParameters.get("against")
            // The service plans what is committed at HEAD, read from git (never its copy loaded at start).
            return await handle(request) { workspace in
                try await workspace.authorize(
                    .admin("review the access policy"), action: "policy.plan", target: "policy")
                return try APIResponse.json(try await workspace.planPolicy(against: against, committed: true))
            }
        }
        v1.post("policy/apply") { request, _ in
            await handle(request) { try APIResponse.json(try await $0.applyPolicy()) }
        }
        v1.get("gc/plan") { request, _ in
            await handle(request) { workspace in
                let grace = try Self.grace(request.uri.queryParameters.get("grace"))
                return try APIResponse.json(try await workspace.collectGarbage(dryRun: true, grace: grace))
            }
        }
        v1.post("gc") { request, _ in
            await handle(request) { workspace in
                let body = try await Self.decode(GCRequest.self, from: request)
                return try APIResponse.json(
                    try await workspace.collectGarbage(dryRun: false, grace: try Self.grace(body.grace)))
            }
        }
    }

    struct GCRequest: Decodable {
        var grace: String?
    }

    /// `grace` (default 1h): objects written this recently are kept whatever refers to them.
    static func grace(_ text: String?) throws -> TimeSpan {
        guard let text else { return TimeSpan(seconds: 3_600) }
        guard let span = TimeSpan(text) else {
            throw BadField(field: "grace", message: "grace must be a duration such as 30m, 1h or 2d")
        }
        return span
    }
}
