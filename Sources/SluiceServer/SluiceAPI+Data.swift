import Foundation
import Hummingbird
import SluiceCore

extension SluiceAPI {
    /// Environments, datasets, lineage, quarantine and promotion.
    func addDataRoutes(_ v1: RouterGroup<BasicRequestContext>) {
        v1.get("environments") { request, _ in
            await handle(request) { try APIResponse.json(try await $0.listEnvironments()) }
        }
        v1.get("environments/:name/log") { request, context in
            await handle(request) { workspace in
                let limit = try Self.page(request).limit
                return try APIResponse.json(
                    try await workspace.log(of: context.parameters.get("name") ?? "", limit: limit))
            }
        }
        v1.get("datasets") { request, _ in
            await handle(request) { workspace in
                try APIResponse.json(try await workspace.datasets(in: request.uri.queryParameters.get("environment")))
            }
        }
        v1.get("datasets/:name") { request, context in
            await handle(request) { workspace in
                try APIResponse.json(
                    try await workspace.datasetDetails(
                        context.parameters.get("name") ?? "", in: request.uri.queryParameters.get("environment")))
            }
        }
        v1.get("datasets/:name/checks") { request, context in
            await handle(request) { workspace in
                try APIResponse.json(
                    try await workspace.checkRuns(
                        dataset: context.parameters.get("name") ?? "",
                        environment: request.uri.queryParameters.get("environment")))
            }
        }
        v1.get("lineage/:dataset") { request, context in
            await handle(request) { workspace in
                let query = request.uri.queryParameters
                var directions: LineageDirections = []
                switch query.get("direction") ?? "both" {
                case "up": directions = .upstream
                case "down": directions = .downstream
                case "both": directions = [.upstream, .downstream]
                default: throw BadField(field: "direction", message: "direction must be up, down or both")
                }
                return try APIResponse.json(
                    try await workspace.lineage(
                        context.parameters.get("dataset") ?? "", in: query.get("environment"), directions: directions))
            }
        }
        v1.get("quarantine") { request, _ in
            await handle(request) { try APIResponse.json(try await $0.quarantineBatches()) }
        }
        v1.post("promote") { request, _ in
            await handle(request) { workspace in
                let body = try await Self.decode(PromoteRequest.self, from: request)
                return try APIResponse.json(try await workspace.promote(from: body.from, to: body.to))
            }
        }
    }
}
