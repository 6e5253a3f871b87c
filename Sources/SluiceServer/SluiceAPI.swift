import Foundation
import Hummingbird
import SluiceCore
import SluiceStore
import SluiceWeb

/// The HTTP API, versioned under `/api/v1`, over the same engine calls as the command line. Every route but
/// the health checks and the OpenAPI document needs a bearer token; what the token's principal may do is
/// decided by the same `AccessPolicy`, and a refusal is 403 with the same message, audited.
public struct SluiceAPI: Sendable {
    let context: ServerContext

    public init(context: ServerContext) { self.context = context }

    public func router() -> Router<SluiceRequestContext> {
        let router = Router(context: SluiceRequestContext.self)
        // Requests by route template, method and status (a no-op until the process bootstraps metrics).
        router.middlewares.add(MetricsMiddleware())
        router.middlewares.add(EdgeMiddleware(allowedHosts: context.allowedHosts, launcher: context.launcher))
        router.get("healthz") { _, _ in try APIResponse.json(["status": "alive"]) }
        if let metrics = context.metrics {
            // For Prometheus, like the health checks without a token: names and counts, never data.
            router.get("metrics") { _, _ in
                let body = try await metrics.scrape(context)
                return Response(
                    status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                    body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
            }
        }
        router.get("readyz") { _, _ in await ready() }
        let v1 = router.group("api/v1")
        addProjectRoutes(v1)
        addRunRoutes(v1)
        addDataRoutes(v1)
        addAdminRoutes(v1)
        WebUI(backend: ServiceWebBackend(api: self), logger: context.logger).addRoutes(to: router)
        return router
    }

    struct PromoteRequest: Decodable {
        var from: String
        var to: String
    }

    /// A JSON body (at most 1 MiB), its missing or mistyped field named in the 400.
    static func decode<Body: Decodable>(_ type: Body.Type, from request: Request) async throws -> Body {
        var request = request
        let limit = 1 << 20
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit {
            throw ServiceBusy.tooLarge("the request body", limit: Int64(limit))
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.collectBody(upTo: limit)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw ServiceBusy.tooLarge("the request body", limit: Int64(limit))
        }
        let data = Data(buffer.readableBytesView)
        if let field = controlCharacterField(inJSON: data) { throw BadField.controlCharacter(in: field) }
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch DecodingError.keyNotFound(let key, _) {
            throw BadField(field: key.stringValue, message: "the body needs \(key.stringValue)")
        } catch DecodingError.typeMismatch(_, let context), DecodingError.valueNotFound(_, let context) {
            let field = context.codingPath.map(\.stringValue).joined(separator: ".")
            throw BadField(field: field, message: "\(field) has the wrong type: \(context.debugDescription)")
        } catch {
            throw BadField(field: "body", message: "the body is not the JSON object this route takes")
        }
    }

    /// The first field of a JSON body whose text (key or value, at any depth) holds a control character.
    static func controlCharacterField(inJSON data: Data) -> String? {
        guard let value = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else {
            return nil
        }
        func find(_ value: Any, _ path: String) -> String? {
            switch value {
            case let text as String: return EdgeMiddleware.hasControl(text) ? path : nil
            case let object as [String: Any]:
                for (key, item) in object {
                    let field = path == "body" ? key : "\(path).\(key)"
                    if EdgeMiddleware.hasControl(key) { return path }
                    if let found = find(item, field) { return found }
                }
                return nil
            case let array as [Any]:
                return array.enumerated().lazy.compactMap { find($0.element, "\(path)[\($0.offset)]") }.first
            default: return nil
            }
        }
        return find(value, "body")
    }

    /// A list the engine returns whole, served a page at a time like the others: the cursor counts down from
    /// the list's length, so `after` works as everywhere (a list that changes between pages may shift).
    static func paged<Item: Encodable & Sendable>(_ items: [Item], _ request: Request) throws -> Response {
        let page = try Self.page(request)
        let before = try page.position() ?? .max
        let numbered = items.enumerated().map { (sequence: Int64(items.count - $0.offset), item: $0.element) }
        let candidates = numbered.filter { $0.sequence < before }.prefix(page.limit + 1)
        return try APIResponse.json(Page.of(Array(candidates), limit: page.limit))
    }

    /// `limit` (1–1000, default 100) and `after` (the `next` of the previous page).
    static func page(_ request: Request) throws -> PageRequest {
        let query = request.uri.queryParameters
        var limit = 100
        if let text = query.get("limit") {
            guard let value = Int(text), (1...PageRequest.maximumLimit).contains(value) else {
                throw BadField(
                    field: "limit", message: "limit must be a whole number from 1 to \(PageRequest.maximumLimit)")
            }
            limit = value
        }
        let page = PageRequest(limit: limit, after: query.get("after"))
        do {
            _ = try page.position()
        } catch {
            throw BadField(field: "after", message: "after must be the next value of a page")
        }
        return page
    }

    /// Runs `body` as the request's principal; turns every error into its status and problem body.
    func handle(_ request: Request, _ body: (Workspace) async throws -> Response) async -> Response {
        do {
            // No token: the project's anonymous role, as on the command line and in the web UI.
            let workspace: Workspace
            if let token = try Self.bearer(request) {
                workspace = try await context.workspace(token: token)
            } else {
                workspace = try await context.anonymousWorkspace(countingDenials: true)
            }
            // A refusal was audited where it was decided (`EngineContext.authorize`).
            return try await body(workspace)
        } catch let bad as BadField {
            return APIResponse.error(bad, field: bad.field)
        } catch let error as any SluiceError {
            return APIResponse.error(error)
        } catch {
            context.logger.error(
                "request failed: \(error)",
                metadata: [
                    "url.path": "\(request.uri.path)", "error.message": "\(error)", "error.type": "\(type(of: error))",
                ])
            return APIResponse.error(InternalError("the request failed inside the service; see its log"))
        }
    }

    /// The token of `Authorization: Bearer TOKEN`; `nil` without the header. A header that is not a bearer
    /// token is refused (401), never taken for no token at all.
    static func bearer(_ request: Request) throws -> String? {
        guard let header = request.headers[.authorization] else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1)
        let token = parts.count == 2 ? String(parts[1]).trimmingCharacters(in: .whitespaces) : ""
        guard parts.count == 2, parts[0].lowercased() == "bearer", !token.isEmpty else {
            throw Unauthenticated("the Authorization header must be Bearer TOKEN; send none to act as anonymous")
        }
        return token
    }

    /// 200 when the metadata answers and the project's files are still valid; 503 naming what is not.
    func ready() async -> Response {
        var problems: [String] = []
        do {
            try await context.anonymousWorkspace().probeStore()
        } catch {
            problems.append("the metadata store does not answer: \(error)")
        }
        let project = context.project
        if project.committed == nil {
            // Read from the work tree (no git): it must still be valid.
            do {
                _ = try ProjectLoader(files: context.files).loadValidated(root: project.root)
            } catch {
                problems.append("the project is not valid: \(error)")
            }
        }
        let status: HTTPResponse.Status = problems.isEmpty ? .ok : .serviceUnavailable
        var answer = ["status": problems.isEmpty ? "ready" : "not ready", "problems": problems.joined(separator: "; ")]
        // Which commit is in force, and why a later one is not (the service goes on with the one in force).
        answer["commit"] = project.committed ?? "work tree"
        if let refusal = project.refusal { answer["refused"] = refusal }
        return (try? APIResponse.json(answer, status: status)) ?? Response(status: status)
    }
}
