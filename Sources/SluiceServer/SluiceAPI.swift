import Foundation
import Hummingbird
import OpenAPIHummingbird
import OpenAPIRuntime
import SluiceAPIContract
import SluiceCore
import SluiceWeb

/// The service's routes: the HTTP API as openapi.yaml declares it (the generated server over `APIHandler`),
/// `/metrics` for Prometheus, and the web UI. Every API operation but the health checks and the document acts
/// as the principal of the request's bearer token (or the anonymous role without one); what it may do is
/// decided by the same `AccessPolicy` as on the command line, and a refusal is 403 with the same message,
/// audited.
public struct SluiceAPI: Sendable {
    let context: ServerContext

    public init(context: ServerContext) { self.context = context }

    public func router() -> Router<SluiceRequestContext> {
        let router = Router(context: SluiceRequestContext.self)
        // Requests by route template, method and status (a no-op until the process bootstraps metrics).
        router.middlewares.add(MetricsMiddleware())
        router.middlewares.add(EdgeMiddleware(allowedHosts: context.allowedHosts, launcher: context.launcher))
        if let metrics = context.metrics {
            // For Prometheus, like the health checks without a token: names and counts, never data.
            router.get("metrics") { _, _ in
                let body = try await metrics.scrape(context)
                return Response(
                    status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                    body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
            }
        }
        do {
            try APIHandler(context: context).registerHandlers(
                on: router, configuration: Self.configuration,
                middlewares: [
                    ProblemMiddleware(logger: context.logger), DeclaredMediaTypes(),
                    PrincipalMiddleware(context: context),
                    QueryGuard(),
                    JSONBodyGuard(),
                ])
        } catch {
            // The paths are the document's own; one that does not register is a programming error the tests catch.
            context.logger.critical("the API's routes did not register: \(error)")
        }
        WebUI(backend: ServiceWebBackend(context: context), logger: context.logger).addRoutes(to: router)
        return router
    }

    /// JSON as the command line's `--json` writes it: sorted keys, no escaped slashes, not indented.
    static let configuration = Configuration(jsonEncodingOptions: [.sortedKeys, .withoutEscapingSlashes])
}
