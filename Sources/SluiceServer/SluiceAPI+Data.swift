import Foundation
import Hummingbird
import SluiceCore

extension SluiceAPI {
    /// Environments, datasets, lineage, quarantine and promotion.
    func addDataRoutes(_ v1: RouterGroup<BasicRequestContext>) {
        v1.get("environments") { request, _ in
            await handle(request) { try Self.paged(try await $0.listEnvironments(), request) }
        }
        v1.get("environments/:name/log") { request, context in
            await handle(request) { workspace in
                try Self.paged(
                    try await workspace.log(of: Self.name(context), limit: PageRequest.maximumLimit), request)
            }
        }
        v1.post("environments") { request, _ in
            await handle(request) { workspace in
                let body = try await Self.decode(CreateEnvironment.self, from: request)
                var ttl: TimeSpan?
                if let text = body.ttl {
                    guard let parsed = TimeSpan(text) else {
                        throw BadField(field: "ttl", message: "ttl must be a duration such as 12h or 7d")
                    }
                    ttl = parsed
                }
                let created = try await workspace.createEnvironment(
                    body.name, from: body.from ?? workspace.project.defaultEnvironment, ttl: ttl)
                return try APIResponse.json(created, status: .created)
            }
        }
        v1.delete("environments/:name") { request, context in
            await handle(request) { try APIResponse.json(try await $0.deleteEnvironment(Self.name(context))) }
        }
        v1.get("datasets") { request, _ in
            await handle(request) { workspace in
                try Self.paged(
                    try await workspace.datasets(in: request.uri.queryParameters.get("environment")), request)
            }
        }
        v1.get("datasets/:name") { request, context in
            await handle(request) { workspace in
                try APIResponse.json(
                    try await workspace.datasetDetails(
                        context.parameters.get("name") ?? "", in: request.uri.queryParameters.get("environment")))
            }
        }
        v1.get("datasets/:name/data") { request, context in
            await handle(request) { workspace in
                try await Self.download(
                    context.parameters.get("name") ?? "", in: request.uri.queryParameters.get("environment"),
                    workspace: workspace)
            }
        }
        v1.get("datasets/:name/checks") { request, context in
            await handle(request) { workspace in
                try Self.paged(
                    try await workspace.checkRuns(
                        dataset: context.parameters.get("name") ?? "",
                        environment: request.uri.queryParameters.get("environment")), request)
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
        v1.get("quarantine/:id") { request, context in
            await handle(request) {
                try APIResponse.json(try await $0.quarantineBatch(context.parameters.get("id") ?? ""))
            }
        }
        v1.get("gc/plan") { request, _ in
            await handle(request) { try APIResponse.json(try await $0.collectGarbage(dryRun: true)) }
        }
        v1.get("quarantine") { request, _ in
            await handle(request) { try Self.paged(try await $0.quarantineBatches(), request) }
        }
        v1.post("promote") { request, _ in
            await handle(request) { workspace in
                let body = try await Self.decode(PromoteRequest.self, from: request)
                return try APIResponse.json(try await workspace.promote(from: body.from, to: body.to))
            }
        }
    }

    /// A version's data as `cat` gives it (PII masked for whoever may not see it), written to a private file
    /// first so that memory stays bounded, then streamed and removed. Access errors come before any byte.
    static func download(_ reference: String, in environment: String?, workspace: Workspace) async throws -> Response {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-download-\(UUID().uuidString)")
        guard FileManager.default.createFile(atPath: file.path, contents: nil, attributes: [.posixPermissions: 0o600])
        else { throw InternalError("cannot create \(file.path) for a download") }
        do {
            let handle = try FileHandle(forWritingTo: file)
            defer { try? handle.close() }
            try await workspace.cat(reference, in: environment) { try handle.write(contentsOf: Data($0)) }
        } catch {
            try? FileManager.default.removeItem(at: file)
            throw error
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: file.path)[.size] as? Int) ?? nil
        let body = ResponseBody(contentLength: size) { writer in
            defer { try? FileManager.default.removeItem(at: file) }
            let handle = try FileHandle(forReadingFrom: file)
            defer { try? handle.close() }
            while let data = try handle.read(upToCount: 1 << 20), !data.isEmpty {
                try await writer.write(ByteBuffer(bytes: Array(data)))
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: "text/csv; charset=utf-8"], body: body)
    }

    struct CreateEnvironment: Decodable {
        var name: String
        var from: String?
        var ttl: String?
    }

    /// The `name` path parameter: environment names hold `/` (`sandbox/alice`), sent as `%2F`.
    static func name(_ context: BasicRequestContext) -> String {
        let raw = context.parameters.get("name") ?? ""
        return raw.removingPercentEncoding ?? raw
    }
}
