import Foundation
import Hummingbird
import Logging
import SluiceCore

/// The web UI, served by `sluice serve` under `/ui`: server-rendered pages over the same engine calls as the
/// command line and the API, acting as the signed-in principal (or as an anonymous reader). Nothing is loaded
/// from outside the service, every value is escaped by the templates, every change is a POST carrying the
/// session's CSRF secret, and what a principal may not read does not appear.
public struct WebUI: Sendable {
    let backend: any WebBackend
    let sessions: WebSessions
    let logger: Logger
    let renderer = PageRenderer.shared
    let chain = ChainWatch()
    let plans = KeptResult<GCReport>()

    public init(backend: any WebBackend, sessions: WebSessions = WebSessions(), logger: Logger) {
        self.backend = backend
        self.sessions = sessions
        self.logger = logger
    }

    static let sessionCookie = "sluice_session"
    static let signInCookie = "sluice_signin"

    public func addRoutes(to router: Router<SluiceRequestContext>) {
        router.get("/") { _, _ in WebResponse.redirect("/ui") }
        router.get("favicon.ico") { request, _ in WebAssets.response(for: "icon.svg", request: request) }
        router.get("ui/assets/:file") { request, context in
            WebAssets.response(for: context.parameters.get("file") ?? "", request: request)
        }
        let ui = router.group("ui")
        addSessionRoutes(ui)
        addOverviewRoutes(ui)
        addRunRoutes(ui)
        addDataRoutes(ui)
        addEnvironmentRoutes(ui)
        addGovernanceRoutes(ui)
    }

    /// A page: resolves who is looking, runs `body`, and turns errors into an error page with the status of
    /// their code.
    func page(
        _ request: Request, _ body: @Sendable (Viewer) async throws -> Response
    ) async -> Response {
        do {
            let viewer = try await viewer(for: request)
            do {
                var response = try await body(viewer)
                if viewer.notice != nil { response.headers[.setCookie] = expiredSessionCookie(request) }
                return response
            } catch {
                // A refused page was audited where it was refused (`authorize`; a visitor's refusals are
                // counted a minute at a time).
                return problemPage(error, viewer: viewer, request: request)
            }
        } catch let error as any SluiceError {
            return WebResponse.plain(
                "The service cannot answer: \(error.description)",
                status: HTTPResponse.Status(code: error.code.httpStatus))
        } catch {
            logger.error("a page could not resolve its viewer: \(error)", metadata: ["url.path": "\(request.uri.path)"])
            return WebResponse.plain("The service cannot answer right now; see its log.", status: .internalServerError)
        }
    }

    /// Who is looking: the principal of a live session whose token still works, else an anonymous reader
    /// (with a notice when a session just ended because its token stopped working).
    func viewer(for request: Request) async throws -> Viewer {
        if let id = request.cookies[Self.sessionCookie]?.value, let session = await sessions.session(id) {
            do {
                let workspace = try await backend.workspace(token: session.token)
                return Viewer(workspace: workspace, session: session, now: .now())
            } catch let error as any SluiceError where error.code == .unauthenticated || error is AccessDenied {
                await sessions.end(id)
                let anonymous = try await backend.workspace(token: nil)
                let notice = "Your token no longer works (revoked, or its principal was removed); sign in again."
                return Viewer(workspace: anonymous, session: nil, now: .now(), notice: notice)
            }
        }
        return Viewer(workspace: try await backend.workspace(token: nil), session: nil, now: .now())
    }

    /// The page for an error: 403 for a refusal, 404 for an unknown name, 400 for a bad parameter, 500 (and
    /// the service's log) for anything unexpected.
    func problemPage(_ error: any Error, viewer: Viewer, request: Request) -> Response {
        let status: HTTPResponse.Status
        var model = ProblemView(
            chrome: Chrome(title: "Problem", section: .home, viewer: viewer, here: request.uri.description),
            heading: "Something went wrong", message: "", hint: nil)
        switch error {
        case let denied as AccessDenied:
            status = .forbidden
            model.heading = "Not allowed"
            model.message = denied.message
        case let usage as UsageError:
            status = HTTPResponse.Status(code: usage.code.httpStatus)
            model.heading = usage.code == .notFound ? "Not found" : "Cannot show that"
            model.message = usage.message
            model.hint = usage.hint
        case let known as any SluiceError:
            status = HTTPResponse.Status(code: known.code.httpStatus)
            model.message = known.description
        default:
            logger.error("a page failed: \(error)", metadata: ["url.path": "\(request.uri.path)"])
            status = .internalServerError
            model.message = "The page failed inside the service; its log has the details."
        }
        model.chrome.title = model.heading
        return renderer.page("problem", model, status: status)
    }

    func expiredSessionCookie(_ request: Request) -> String {
        Cookie(
            name: Self.sessionCookie, value: "", maxAge: 0, path: "/", secure: WebResponse.isTLS(request),
            httpOnly: true, sameSite: .strict
        ).description
    }
}

struct ProblemView: Sendable {
    var chrome: Chrome
    var heading: String
    var message: String
    var hint: String?
}
