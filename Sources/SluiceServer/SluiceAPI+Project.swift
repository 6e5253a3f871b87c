import Foundation
import Hummingbird
import SluiceCore

extension SluiceAPI {
    /// The document, the status, tokens and the audit log.
    func addProjectRoutes(_ v1: RouterGroup<BasicRequestContext>) {
        v1.get("openapi.json") { _, _ in APIResponse.body(Data(OpenAPIDocument.json.utf8)) }
        v1.get("status") { request, _ in
            await handle(request) { try APIResponse.json(try await $0.status()) }
        }
        v1.get("tokens") { request, _ in
            await handle(request) { try APIResponse.json(try await $0.listTokens()) }
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
}
