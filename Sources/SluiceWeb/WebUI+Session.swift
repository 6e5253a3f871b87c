import Foundation
import HTTPTypes
import Hummingbird
import SluiceCore

extension WebUI {
    /// Sign-in and sign-out. A token entered once becomes a session cookie (HttpOnly, SameSite=Strict, Secure
    /// behind TLS, expiring); the sign-in form itself is protected by a one-time cookie of its own.
    func addSessionRoutes(_ ui: RouterGroup<SluiceRequestContext>) {
        ui.get("signin") { request, _ in
            await page(request) { viewer in
                signInPage(viewer, request: request, next: request.uri.queryParameters.get("next"), failed: nil)
            }
        }
        ui.post("signin") { request, _ in
            await page(request) { viewer in try await signIn(viewer, request: request) }
        }
        ui.post("signout") { request, _ in
            await action(request) { viewer in
                if let session = viewer.session { await sessions.end(session.id) }
                try await viewer.workspace.auditTrail.recordSession(signedIn: false, client: Self.client(request))
                return WebResponse.redirect("/ui", cookies: [expiredSessionCookie(request)])
            }
        }
    }

    struct SignInView: Sendable {
        var chrome: Chrome
        var csrf: String
        var next: String
        var failed: String?
    }

    struct SignInForm: Decodable {
        var csrf: String
        var token: String
        var next: String?
    }

    func signInPage(
        _ viewer: Viewer, request: Request, next: String?, failed: String?, status: HTTPResponse.Status = .ok
    ) -> Response {
        let secret = WebSessions.secret()
        let model = SignInView(
            chrome: Chrome(title: "Sign in", section: .signIn, viewer: viewer, here: "/ui"), csrf: secret,
            next: Self.safeNext(next), failed: failed)
        var response = renderer.page("signin", model, status: status)
        let cookie = Cookie(
            name: Self.signInCookie, value: secret, maxAge: 900, path: "/ui/signin", secure: WebResponse.isTLS(request),
            httpOnly: true, sameSite: .strict)
        response.headers[.setCookie] = cookie.description
        return response
    }

    func signIn(_ viewer: Viewer, request: Request) async throws -> Response {
        let form = try await Self.form(SignInForm.self, from: request)
        guard Self.sameOrigin(request), let expected = request.cookies[Self.signInCookie]?.value,
            WebSessions.sameSecret(form.csrf, expected)
        else {
            return signInPage(
                viewer, request: request, next: form.next,
                failed: "The form expired or came from another site; enter the token again.", status: .forbidden)
        }
        let workspace: Workspace
        do {
            workspace = try await backend.workspace(token: form.token.trimmingCharacters(in: .whitespacesAndNewlines))
        } catch let error as any SluiceError where error.code == .unauthenticated || error is AccessDenied {
            return signInPage(
                viewer, request: request, next: form.next, failed: "That token is unknown or revoked.",
                status: .unauthorized)
        }
        guard workspace.identity.principal != nil else {
            return signInPage(
                viewer, request: request, next: form.next, failed: "Enter a token.", status: .unauthorized)
        }
        let session = await sessions.create(token: form.token, principal: workspace.identity.name)
        try await workspace.auditTrail.recordSession(signedIn: true, client: Self.client(request))
        let cookie = Cookie(
            name: Self.sessionCookie, value: session.id, maxAge: Int(sessions.maximumAge), path: "/",
            secure: WebResponse.isTLS(request), httpOnly: true, sameSite: .strict)
        let spent = Cookie(
            name: Self.signInCookie, value: "", maxAge: 0, path: "/ui/signin", secure: WebResponse.isTLS(request),
            httpOnly: true, sameSite: .strict)
        return WebResponse.redirect(
            Self.safeNext(form.next), cookies: [cookie.description, spent.description])
    }

    /// A change made from a page: the browser must be signed in, the form must come from this site and carry
    /// the session's secret. A refusal is audited, like every other.
    func action(_ request: Request, _ body: @Sendable @escaping (Viewer) async throws -> Response) async -> Response {
        await page(request) { viewer in
            let target = "POST \(request.uri.path)"
            guard let session = viewer.session else {
                try await viewer.workspace.refuse(
                    "changes need a signed-in principal", remedy: "sign in with your token first", action: "ui.change",
                    target: target)
            }
            let form = try await Self.form(CSRFForm.self, from: request)
            guard Self.sameOrigin(request), let secret = form.csrf, WebSessions.sameSecret(secret, session.csrf) else {
                try await viewer.workspace.refuse(
                    "the form did not come from this session (missing or wrong CSRF secret, or another site)",
                    remedy: "reload the page and use its button again", action: "ui.change", target: target)
            }
            return try await body(viewer)
        }
    }

    struct CSRFForm: Decodable {
        var csrf: String?
    }

    /// A URL-encoded form body (at most 16 KiB); a missing field is a 400 naming it.
    static func form<Form: Decodable>(_ type: Form.Type, from request: Request) async throws -> Form {
        var request = request
        let buffer = try await request.collectBody(upTo: 16 * 1024)
        do {
            return try URLEncodedFormDecoder().decode(type, from: String(buffer: buffer))
        } catch {
            throw UsageError("the form is missing a field or is not a form: \(error)")
        }
    }

    /// False when the browser says the form came from another origin. (Browsers send Origin with every POST;
    /// SameSite=Strict cookies and the CSRF secret stand even where one does not.)
    static func sameOrigin(_ request: Request) -> Bool {
        guard let origin = request.headers[.origin] else { return true }
        guard let host = request.head.authority, let url = URL(string: origin),
            let originHost = url.host
        else { return false }
        let originAuthority = url.port.map { "\(originHost):\($0)" } ?? originHost
        return originAuthority.lowercased() == host.lowercased()
    }

    /// Where to go after signing in: a path of the UI only (never another site, never `//host`).
    static func safeNext(_ next: String?) -> String {
        guard let next, next.hasPrefix("/ui"), !next.hasPrefix("//"), !next.contains("\\"),
            !next.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F })
        else { return "/ui" }
        return next
    }

    static func client(_ request: Request) -> String {
        request.headers[.xForwardedFor] ?? "direct"
    }
}

extension HTTPField.Name {
    static let xForwardedFor = Self("X-Forwarded-For")!
}
