import Foundation
import Hummingbird
import SluiceCore
import SluiceWeb

extension SluiceAPI {
    /// The document, the status, tokens and the audit log.
    func addProjectRoutes(_ v1: RouterGroup<SluiceRequestContext>) {
        v1.get("openapi.json") { _, _ in APIResponse.body(Data(OpenAPIDocument.json.utf8)) }
        v1.get("status") { request, _ in
            await handle(request) { try APIResponse.json(try await $0.status()) }
        }
        v1.get("tokens") { request, _ in
            await handle(request) { try Self.paged(try await $0.listTokens(), request) }
        }
        v1.post("tokens") { request, _ in
            await handle(request) { workspace in
                let body = try await Self.decode(CreateToken.self, from: request)
                return try APIResponse.json(try await workspace.createToken(for: body.principal), status: .created)
            }
        }
        v1.delete("tokens/:id") { request, context in
            await handle(request) { workspace in
                let id = context.parameters.get("id") ?? ""
                try await workspace.revokeToken(id: id)
                return try APIResponse.json(["revoked": id])
            }
        }
        v1.get("audit") { request, _ in
            await handle(request) { workspace in
                let query = request.uri.queryParameters
                var filter = AuditFilter(
                    action: query.get("action"), principal: query.get("principal"), target: query.get("target"))
                if let outcome = query.get("outcome") {
                    guard let parsed = AuditOutcome(rawValue: outcome) else {
                        throw BadField(field: "outcome", message: "outcome must be succeeded, failed or denied")
                    }
                    filter.outcome = parsed
                }
                return try APIResponse.json(try await workspace.auditPage(filter, page: try Self.page(request)))
            }
        }
    }

    struct CreateToken: Decodable {
        var principal: String
    }
}
