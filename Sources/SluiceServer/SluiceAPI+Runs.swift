import Foundation
import Hummingbird
import SluiceCore

extension SluiceAPI {
    /// Runs: the paged list, one run, its logs, cancelling it.
    func addRunRoutes(_ v1: RouterGroup<BasicRequestContext>) {
        v1.get("runs") { request, _ in
            await handle(request) { workspace in
                var filter = RunFilter(pipeline: request.uri.queryParameters.get("pipeline"))
                if let status = request.uri.queryParameters.get("status") {
                    guard let parsed = RunStatus(rawValue: status) else {
                        throw BadField(
                            field: "status", message: "status must be running, succeeded, failed or cancelled")
                    }
                    filter.status = parsed
                }
                return try APIResponse.json(try await workspace.runPage(filter, page: try Self.page(request)))
            }
        }
        v1.get("runs/:id") { request, context in
            await handle(request) { workspace in
                try APIResponse.json(try await workspace.runRecord(context.parameters.get("id") ?? ""))
            }
        }
        v1.get("runs/:id/logs") { request, context in
            await handle(request) { workspace in
                try APIResponse.json(
                    try await workspace.attemptLogs(
                        run: context.parameters.get("id") ?? "", step: request.uri.queryParameters.get("step")))
            }
        }
        v1.post("runs/:id/cancel") { request, context in
            await handle(request) { workspace in
                let outcome = try await workspace.cancelRun(context.parameters.get("id") ?? "")
                return try APIResponse.json(["outcome": outcome.rawValue])
            }
        }
    }
}
