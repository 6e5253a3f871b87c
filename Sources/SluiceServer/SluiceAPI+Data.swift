import Foundation
import Hummingbird
import SluiceCore
import SluiceWeb

extension SluiceAPI {
    /// Environments, datasets, lineage, quarantine and promotion.
    func addDataRoutes(_ v1: RouterGroup<SluiceRequestContext>) {
        v1.get("environments") { request, _ in
            await handle(request) { try Self.paged(try await $0.listEnvironments(), request) }
        }
        v1.get("environments/:name/log") { request, context in
            await handle(request) { workspace in
                try APIResponse.json(try await workspace.logPage(of: Self.name(context), page: try Self.page(request)))
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
        v1.post("environments/:name/reset") { request, context in
            await handle(request) { workspace in
                let body = try await Self.decode(ResetEnvironment.self, from: request)
                return try APIResponse.json(try await workspace.resetEnvironment(Self.name(context), to: body.to))
            }
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
                try APIResponse.json(
                    try await workspace.checkRunPage(
                        dataset: context.parameters.get("name") ?? "",
                        environment: request.uri.queryParameters.get("environment"), page: try Self.page(request)))
            }
        }
        v1.get("checks") { request, _ in
            await handle(request) { workspace in
                let query = request.uri.queryParameters
                return try APIResponse.json(
                    try await workspace.checkRunPage(
                        dataset: query.get("dataset"), environment: query.get("environment"),
                        page: try Self.page(request)))
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
                let dataset = context.parameters.get("dataset") ?? ""
                switch query.get("format") ?? "tree" {
                case "tree":
                    return try APIResponse.json(
                        try await workspace.lineage(dataset, in: query.get("environment"), directions: directions))
                case "openlineage":
                    let events = try await workspace.openLineageEvents(
                        dataset, in: query.get("environment"), directions: directions)
                    return APIResponse.body(
                        Data("[".utf8) + Data(events.joined(separator: Data(",".utf8))) + Data("]".utf8))
                default: throw BadField(field: "format", message: "format must be tree or openlineage")
                }
            }
        }
        v1.get("quarantine/:id/rows") { request, context in
            await handle(request) { workspace in
                try await Self.download(contentType: "application/octet-stream") { sink in
                    try await workspace.streamQuarantine(context.parameters.get("id") ?? "", to: sink)
                }
            }
        }
        v1.post("datasets/:name/check") { request, context in
            await handle(request) { workspace in
                try await check(request, dataset: context.parameters.get("name") ?? "", workspace: workspace)
            }
        }
        v1.post("sources/:name/ingest") { request, context in
            await handle(request) { workspace in
                try await ingest(request, source: Self.name(context), workspace: workspace)
            }
        }
        v1.get("quarantine/:id") { request, context in
            await handle(request) {
                try APIResponse.json(try await $0.quarantineBatch(context.parameters.get("id") ?? ""))
            }
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
        try await download(contentType: "text/csv; charset=utf-8") { sink in
            try await workspace.stream(reference, in: environment, to: sink)
        }
    }

    /// What `produce` writes, spooled to a private file (so that an error comes before any byte and memory
    /// stays bounded), then streamed and removed.
    static func download(
        contentType: String, _ produce: ((Data) throws -> Void) async throws -> Void
    ) async throws -> Response {
        let file = try PrivateFile()
        do {
            let handle = try FileHandle(forWritingTo: file.url)
            defer { try? handle.close() }
            try await produce { try handle.write(contentsOf: $0) }
        } catch {
            file.remove()
            throw error
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: file.url.path)[.size] as? Int) ?? nil
        let body = ResponseBody(contentLength: size) { writer in
            defer { file.remove() }
            let handle = try FileHandle(forReadingFrom: file.url)
            defer { try? handle.close() }
            while let data = try handle.read(upToCount: 1 << 20), !data.isEmpty {
                try await writer.write(ByteBuffer(bytes: Array(data)))
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: contentType], body: body)
    }

    /// Ingests the request's body as one file named `filename` (none: the source's landing path on the
    /// service's host), through the same gate as the command line. Access is decided before the body is read.
    func ingest(_ request: Request, source: String, workspace: Workspace) async throws -> Response {
        let query = request.uri.queryParameters
        let environment = query.get("environment")
        guard let name = query.get("filename") else {
            return try APIResponse.json(
                try await workspace.ingest(source: source, environment: environment, upload: nil), status: .created)
        }
        try await workspace.authorizeIngest(source: source, environment: environment)
        return try await spooled(request, named: name, by: workspace.identity.name) { upload in
            try APIResponse.json(
                try await workspace.ingest(source: source, environment: environment, upload: upload), status: .created)
        }
    }

    /// Checks the request's body, as one file named `filename`, against a dataset's contract; changes nothing.
    /// Access is decided before the body is read.
    func check(_ request: Request, dataset: String, workspace: Workspace) async throws -> Response {
        let query = request.uri.queryParameters
        try await workspace.authorizeCheck(against: dataset, in: query.get("environment"))
        return try await spooled(request, named: query.get("filename") ?? "upload.csv", by: workspace.identity.name) {
            upload in
            try APIResponse.json(
                try await workspace.check(file: upload, against: dataset, in: query.get("environment")))
        }
    }

    /// The request's body written to a private file named `name` (a plain file name), for `body`; removed after.
    /// The upload's size and the principal's spool space are capped (`UploadSpool`): a declared length over
    /// the cap is refused before a byte is read, an undeclared one as soon as it passes the cap.
    func spooled(
        _ request: Request, named name: String, by principal: String, _ body: (URL) async throws -> Response
    ) async throws -> Response {
        guard (1...255).contains(name.utf8.count), !name.contains("/"), !name.hasPrefix(".") else {
            throw BadField(field: "filename", message: "filename must be a plain file name such as orders.csv")
        }
        let spool = context.uploads
        try spool.admit(declaredLength: request.headers[.contentLength].flatMap { Int64($0) })
        let folder = try PrivateFile(folder: true)
        var reserved: Int64 = 0
        defer {
            folder.remove()
            spool.release(reserved, for: principal)
        }
        let upload = folder.url.appendingPathComponent(name)
        guard FileManager.default.createFile(atPath: upload.path, contents: nil, attributes: [.posixPermissions: 0o600])
        else { throw InternalError("cannot create a spool file for an upload") }
        let handle = try FileHandle(forWritingTo: upload)
        do {
            for try await buffer in request.body {
                try spool.reserve(Int64(buffer.readableBytes), soFar: reserved, for: principal)
                reserved += Int64(buffer.readableBytes)
                try handle.write(contentsOf: Data(buffer.readableBytesView))
            }
            try handle.close()
        } catch {
            try? handle.close()
            throw error
        }
        return try await body(upload)
    }

    struct ResetEnvironment: Decodable {
        var to: String
    }

    struct CreateEnvironment: Decodable {
        var name: String
        var from: String?
        var ttl: String?
    }

    /// The `name` path parameter: environment names hold `/` (`sandbox/alice`), sent as `%2F`.
    static func name(_ context: SluiceRequestContext) -> String {
        let raw = context.parameters.get("name") ?? ""
        return raw.removingPercentEncoding ?? raw
    }
}
