import Foundation
import SluiceCore
import SluiceTestSupport
import SluiceWeb
import Testing

/// Sign-in, sessions and CSRF, tried as an attacker would: forms from another site, missing or wrong
/// secrets, unknown and revoked tokens, and redirects off the site.
@Suite("Web UI sessions and CSRF")
struct WebSessionTests {
    static let served = Result { try ServedProject() }

    func served() throws -> ServedProject { try Self.served.get() }

    @Test("a token entered once becomes an HttpOnly, SameSite=Strict session cookie, and the sign-in is audited")
    func signInMakesASession() async throws {
        let served = try served()
        let browser = WebClient(port: served.port)
        let answer = try await browser.signIn(token: served.project.tokens["alice"]!, next: "/ui/runs")
        #expect(answer.status == 303)
        #expect(answer.location == "/ui/runs")
        let cookie = answer.setCookie
        #expect(cookie.contains("sluice_session="))
        #expect(cookie.contains("HttpOnly"))
        #expect(cookie.contains("SameSite=Strict"))
        #expect(cookie.contains("Path=/"))
        #expect(cookie.contains("Max-Age="))
        #expect(!cookie.contains("Secure"), "plain HTTP on loopback: a Secure cookie would never come back")
        #expect(!cookie.contains(served.project.tokens["alice"]!), "the token itself never goes to the browser")
        let home = try await browser.get("/ui")
        #expect(home.body.contains("alice"))
        #expect(home.body.contains("Sign out"))
        let audit = try await served.get("/api/v1/audit?action=ui.signin", as: "ops")
        #expect(String(decoding: audit.body, as: UTF8.self).contains("\"principal\":\"alice\""))
    }

    @Test("behind a TLS proxy the session cookie is Secure")
    func secureBehindTLS() async throws {
        let served = try served()
        let browser = WebClient(port: served.port)
        let page = try await browser.get("/ui/signin", headers: ["X-Forwarded-Proto": "https"])
        #expect(page.setCookie.contains("Secure"))
        let answer = try await browser.post(
            "/ui/signin", form: ["csrf": page.field("csrf") ?? "", "token": served.project.tokens["bob"]!],
            headers: ["X-Forwarded-Proto": "https"])
        #expect(answer.status == 303)
        #expect(answer.setCookie.contains("sluice_session=") && answer.setCookie.contains("Secure"))
    }

    @Test("a sign-in form without its own cookie, or sent from another site, makes no session")
    func signInFormIsProtected() async throws {
        let served = try served()
        let token = served.project.tokens["alice"]!
        // A page elsewhere posting to the sign-in form (login CSRF): no sign-in cookie, a made-up secret.
        let forged = try await WebClient(port: served.port).post(
            "/ui/signin", form: ["csrf": "made-up", "token": token], headers: ["Origin": "http://evil.example"])
        #expect(forged.status == 403)
        #expect(!forged.setCookie.contains("sluice_session="))
        // The right secret and cookie, but the browser says the form came from another origin.
        let browser = WebClient(port: served.port)
        let page = try await browser.get("/ui/signin")
        let crossSite = try await browser.post(
            "/ui/signin", form: ["csrf": page.field("csrf") ?? "", "token": token],
            headers: ["Origin": "http://evil.example"])
        #expect(crossSite.status == 403)
        #expect(!crossSite.setCookie.contains("sluice_session="))
        // Browsers that hide the origin send "null": refused too.
        let hidden = try await browser.post(
            "/ui/signin", form: ["csrf": page.field("csrf") ?? "", "token": token], headers: ["Origin": "null"])
        #expect(hidden.status == 403)
    }

    @Test("an unknown token is refused on the page and audited")
    func unknownToken() async throws {
        let served = try served()
        let answer = try await WebClient(port: served.port).signIn(token: "sluice_not-a-token")
        #expect(answer.status == 401)
        #expect(answer.body.contains("unknown or revoked"))
        #expect(!answer.setCookie.contains("sluice_session="))
        // Counted at once, audited with its client's other failures of the minute (HostileRequestTests).
        let metrics = String(decoding: try await served.get("/metrics").body, as: UTF8.self)
        #expect(metrics.contains(#"sluice_auth_failures_total{outcome="refused"} 1"#), "\(metrics)")
    }

    @Test("after signing in, only paths of the UI are followed")
    func noOpenRedirect() async throws {
        let served = try served()
        for next in [
            "//evil.example/x", "https://evil.example", "/\\evil.example", "javascript:alert(1)", "/ui\r\nX: y",
        ] {
            let browser = WebClient(port: served.port)
            let page = try await browser.get("/ui/signin")
            let answer = try await browser.post(
                "/ui/signin",
                form: ["csrf": page.field("csrf") ?? "", "token": served.project.tokens["bob"]!, "next": next])
            #expect(answer.status == 303)
            #expect(answer.location == "/ui", "next=\(next) led to \(answer.location ?? "nothing")")
        }
    }

    @Test("a change needs the session's CSRF secret, from this site; refusals are audited")
    func actionsNeedTheSecret() async throws {
        let served = try served()
        let runs = try await served.get("/api/v1/runs", as: "ci")
        let run = try #require((runs.object["items"] as? [[String: Any]])?.first?["id"] as? String)
        let browser = WebClient(port: served.port)
        try await browser.signIn(token: served.project.tokens["ci"]!)
        let secret = try await browser.csrf()
        #expect(!secret.isEmpty)
        let missing = try await browser.post("/ui/runs/\(run)/resume", form: [:])
        #expect(missing.status == 403)
        let wrong = try await browser.post("/ui/runs/\(run)/resume", form: ["csrf": secret + "x"])
        #expect(wrong.status == 403)
        let crossSite = try await browser.post(
            "/ui/runs/\(run)/resume", form: ["csrf": secret], headers: ["Origin": "http://evil.example"])
        #expect(crossSite.status == 403)
        let anonymous = try await WebClient(port: served.port).post("/ui/runs/\(run)/resume", form: ["csrf": secret])
        #expect(anonymous.status == 403)
        // With the secret, the action itself answers (a succeeded run does not resume: 400, not 403).
        let real = try await browser.post("/ui/runs/\(run)/resume", form: ["csrf": secret])
        #expect(real.status == 400)
        #expect(real.body.contains("only a failed or cancelled run resumes"))
        let audit = try await served.get("/api/v1/audit?outcome=denied&principal=ci", as: "ops")
        let targets = (audit.object["items"] as? [[String: Any]] ?? []).compactMap {
            ($0["draft"] as? [String: Any])?["target"] as? String
        }
        #expect(targets.filter { $0 == "POST /ui/runs/\(run)/resume" }.count == 3, "\(targets)")
    }

    @Test("signing out ends the session: its cookie no longer signs anyone in")
    func signOut() async throws {
        let served = try served()
        let browser = WebClient(port: served.port)
        try await browser.signIn(token: served.project.tokens["bob"]!)
        let old = browser.cookies
        let secret = try await browser.csrf()
        let answer = try await browser.post("/ui/signout", form: ["csrf": secret])
        #expect(answer.status == 303)
        #expect(answer.setCookie.contains("Max-Age=0"))
        let replay = WebClient(port: served.port)
        replay.cookies = old
        let home = try await replay.get("/ui")
        #expect(home.body.contains("anonymous"))
        #expect(!home.body.contains("Sign out"))
    }

    @Test("a revoked token ends the sessions it opened, with a notice")
    func revokedTokenEndsItsSession() async throws {
        let served = try served()
        let created = try served.project.run(as: "ops", ["token", "create", "alice", "--json"])
        let object = try JSONSerialization.jsonObject(with: Data(created.stdout.utf8)) as? [String: Any]
        let token = try #require(object?["secret"] as? String)
        let id = try #require(object?["id"] as? String)
        let browser = WebClient(port: served.port)
        try await browser.signIn(token: token)
        #expect(try await browser.get("/ui").body.contains("Sign out"))
        #expect(try served.project.run(as: "ops", ["token", "revoke", id]).status == 0)
        let after = try await browser.get("/ui")
        #expect(after.body.contains("no longer works"))
        #expect(!after.body.contains("Sign out"))
        #expect(after.setCookie.contains("Max-Age=0"))
    }

    @Test("sessions end when idle, at their maximum age, and the oldest make room at the limit")
    func sessionExpiry() async throws {
        let sessions = WebSessions(idleTimeout: 60, maximumAge: 300, limit: 2)
        let start = Date(timeIntervalSince1970: 1_000_000)
        let first = await sessions.create(token: "a", principal: "a", now: start)
        #expect(await sessions.session(first.id, now: start.addingTimeInterval(59)) != nil)
        #expect(await sessions.session(first.id, now: start.addingTimeInterval(59 + 61)) == nil, "idle too long")
        let second = await sessions.create(token: "b", principal: "b", now: start)
        for minute in 1...4 {
            #expect(await sessions.session(second.id, now: start.addingTimeInterval(Double(minute) * 55)) != nil)
        }
        #expect(await sessions.session(second.id, now: start.addingTimeInterval(301)) == nil, "too old")
        let third = await sessions.create(token: "c", principal: "c", now: start)
        let fourth = await sessions.create(token: "d", principal: "d", now: start.addingTimeInterval(1))
        let fifth = await sessions.create(token: "e", principal: "e", now: start.addingTimeInterval(2))
        #expect(await sessions.session(third.id, now: start.addingTimeInterval(3)) == nil, "the oldest made room")
        #expect(await sessions.session(fourth.id, now: start.addingTimeInterval(3)) != nil)
        #expect(await sessions.session(fifth.id, now: start.addingTimeInterval(3)) != nil)
        #expect(first.id != second.id && first.csrf != first.id && first.id.count == 43)
    }
}
