import Foundation
import SluiceTestSupport
import Testing

/// A run going on, seen in the UI: its page tails the step's output as it prints (the endpoint, and the page's
/// own script in Chromium), and Cancel stops it.
@Suite("Web UI on a running run")
struct WebLiveRunTests {
    static func talkingProject() throws -> (CLIProject, go: String) {
        try ServedProject.talkingProject(before: #"echo "first <b>line</b>""#, after: "echo third")
    }

    @Test("the run page tails a running step's output, and Cancel (with the session's secret) stops the run")
    func tailThenCancel() async throws {
        let (project, go) = try Self.talkingProject()
        _ = go
        let served = try ServedProject(serving: project)
        let started = try await served.post("/api/v1/runs", #"{"pipeline": "chatty", "environment": "dev"}"#, as: "ci")
        let id = try #require(started.object["id"] as? String, "\(started.object)")
        let browser = WebClient(port: served.port)
        try await browser.signIn(token: project.tokens["ci"]!)
        var tail = ""
        for _ in 0..<100 where !tail.contains("first") {
            tail = try await browser.get("/ui/runs/\(id)/tail?step=talk&out=0&err=0").body
            try await Task.sleep(for: .milliseconds(100))
        }
        let json = try #require(try JSONSerialization.jsonObject(with: Data(tail.utf8)) as? [String: Any])
        #expect(json["running"] as? Bool == true)
        #expect((json["stdout"] as? String) == "first <b>line</b>\n")
        let page = try await browser.get("/ui/runs/\(id)")
        #expect(page.body.contains("data-tail=\"/ui/runs/\(id)/tail?step=talk\""))
        #expect(page.body.contains("Cancel run"))
        // From where the last answer ended, nothing new yet.
        let end = json["stdoutEnd"] as? Int ?? 0
        let again = try await browser.get("/ui/runs/\(id)/tail?step=talk&out=\(end)&err=0").body
        #expect(again.contains("\"stdout\":\"\""))

        let cancelled = try await browser.post("/ui/runs/\(id)/cancel", form: ["csrf": try await browser.csrf()])
        #expect(cancelled.status == 303)
        var status = ""
        for _ in 0..<100 where status != "cancelled" {
            status = try await served.get("/api/v1/runs/\(id)", as: "ci").object["status"] as? String ?? ""
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(status == "cancelled")
        let after = try await browser.get("/ui/runs/\(id)")
        #expect(after.body.contains("cancelled"))
        #expect(after.body.contains("Resume run"))
    }

    @Test(
        "in Chromium, the page's script appends what the step prints while it runs",
        .enabled(if: HeadlessBrowser.available))
    func theBrowserTailsTheLog() async throws {
        let (project, go) = try Self.talkingProject()
        let served = try ServedProject(serving: project)
        let started = try await served.post("/api/v1/runs", #"{"pipeline": "chatty", "environment": "dev"}"#, as: "ci")
        let id = try #require(started.object["id"] as? String, "\(started.object)")
        let browser = try HeadlessBrowser()
        try browser.signIn(base: "http://127.0.0.1:\(served.port)", token: project.tokens["alice"]!)
        var running = false
        for _ in 0..<100 where !running {
            running =
                (try await served.get("/api/v1/runs/\(id)", as: "ci").object["steps"] as? [[String: Any]])?
                .first?["status"] as? String == "running"
            try await Task.sleep(for: .milliseconds(100))
        }
        let page = try browser.load("http://127.0.0.1:\(served.port)/ui/runs/\(id)")
        #expect(page.errors.isEmpty, "\(page.errors)")
        var shown = ""
        for _ in 0..<50 where !shown.contains("first <b>line</b>") {
            shown = try browser.evaluate("(document.querySelector('pre[data-tail]') || {}).textContent || ''")
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(shown.contains("first <b>line</b>"), "the tail shows the text as text: \(shown)")
        #expect(try browser.evaluate("document.querySelectorAll('pre[data-tail] b').length") == "0")
        _ = FileManager.default.createFile(atPath: go, contents: nil)
        // When the step ends, the page reloads itself with the kept output (in the attempt's folded details);
        // "third" may show in the tail first, so wait for the reloaded page, which says the run succeeded.
        var final = ""
        for _ in 0..<150 where !(final.contains("third") && final.contains("succeeded")) {
            final = try browser.evaluate("document.body.textContent")
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(final.contains("third"))
        #expect(final.contains("succeeded"))
    }
}
