import Foundation
import SluiceFixtures
import Testing

/// Every view of the web UI, rendered by a real headless Chromium against a served store at scale, as an
/// anonymous visitor and signed in: the page holds what it should, and the browser reports no error (no
/// script exception, no console error, nothing refused by the content security policy, no failed load).
/// With SLUICE_SCREENSHOTS=DIR, each view is also saved as a PNG there, to be looked at.
@Suite("Web UI in a real browser", .serialized, .enabled(if: HeadlessBrowser.available))
struct WebBrowserTests {
    struct View {
        var path: String
        var expected: [String]
        var name: String
    }

    static func views(_ made: ScaleFixtureMade) -> [View] {
        let dataset = "curated.p03_s6"
        return [
            View(
                path: "/ui", expected: ["Needs attention", "pipeline_00", "pipeline_19", "Stale datasets"], name: "home"
            ),
            View(path: "/ui/runs", expected: ["Runs", "pipeline_", "Older »"], name: "runs"),
            View(
                path: "/ui/runs?status=failed&pipeline=pipeline_03", expected: ["failed", "pipeline_03"],
                name: "runs-filtered"),
            View(
                path: "/ui/runs/\(made.failedRunID)", expected: ["step_0", "Timeline", "Attempt 3", "failed"],
                name: "run"),
            View(path: "/ui/datasets", expected: ["Datasets", "raw.source_001", dataset], name: "datasets"),
            View(
                path: "/ui/datasets/\(dataset)?env=dev", expected: ["Schema", "Sample", "Checks over time", "Lineage"],
                name: "dataset"),
            View(path: "/ui/environments", expected: ["dev", "prod", "sandbox/user0"], name: "environments"),
            View(path: "/ui/environments/prod", expected: ["Moves", "promote from dev"], name: "environment"),
            View(
                path: "/ui/compare?from=dev&to=prod",
                expected: ["Compare", "promoting dev into prod", "changed", "added"], name: "compare"),
            View(
                path: "/ui/quality", expected: ["Failing and warning checks", "Quarantined batches", "q-00039"],
                name: "quality"),
            View(
                path: "/ui/quality/quarantine/\(made.quarantineIDs[0])",
                expected: ["Quarantined batch", "Reason", "The first 2 of 2 row(s) read"],
                name: "quarantine"),
            View(path: "/ui/audit", expected: ["chain intact", "denied"], name: "audit"),
            View(path: "/ui/audit?outcome=denied", expected: ["denied"], name: "audit-denied"),
            View(
                path: "/ui/lifecycle",
                expected: ["Environments that expire", "What gc would delete now", "sandbox/user2"], name: "lifecycle"),
            View(path: "/ui/flow", expected: ["Data flow", "Policy findings", "Access in"], name: "flow"),
        ]
    }

    @Test("every view renders in Chromium without an error, signed in")
    func everyViewSignedIn() async throws {
        let served = try await ServedFixture.get()
        let browser = try HeadlessBrowser()
        try browser.signIn(base: served.base, token: served.made.tokens["ops"] ?? "")
        let shots = ProcessInfo.processInfo.environment["SLUICE_SCREENSHOTS"].map { URL(fileURLWithPath: $0) }
        for view in Self.views(ScaleFixtureMade(served.made)) {
            let page = try browser.load(served.base + view.path)
            #expect(page.errors.isEmpty, "\(view.path): \(page.errors)")
            #expect(page.text.contains("ops"), "\(view.path) is not shown as signed in")
            for text in view.expected {
                #expect(page.text.contains(text), "\(view.path) lacks \(text)")
            }
            if let shots {
                try browser.screenshot(to: shots.appendingPathComponent("\(view.name).png"))
                try browser.screenshot(to: shots.appendingPathComponent("\(view.name)-window.png"), fullPage: false)
            }
        }
    }

    @Test("an anonymous visitor sees the pages the project lets anonymous read, and no error")
    func anonymousVisitor() async throws {
        let served = try await ServedFixture.get()
        let browser = try HeadlessBrowser(width: 390, height: 844)
        let home = try browser.load(served.base + "/ui")
        #expect(home.errors.isEmpty, "\(home.errors)")
        #expect(home.text.contains("Sign in"))
        // Confidential raw datasets (every fourth) are not listed for anonymous visitors.
        let datasets = try browser.load(served.base + "/ui/datasets")
        #expect(datasets.errors.isEmpty, "\(datasets.errors)")
        #expect(datasets.text.contains("raw.source_001"))
        #expect(!datasets.text.contains("raw.source_000"))
        let audit = try browser.load(served.base + "/ui/audit")
        #expect(audit.text.contains("Not allowed"))
        #expect(audit.errors.allSatisfy { $0.contains("403") }, "\(audit.errors)")
        if let shots = ProcessInfo.processInfo.environment["SLUICE_SCREENSHOTS"] {
            _ = try browser.load(served.base + "/ui")
            try browser.screenshot(to: URL(fileURLWithPath: shots).appendingPathComponent("home-phone.png"))
        }
        // From the keyboard: the first Tab reaches the skip link, Enter moves to the content, and the next Tabs
        // walk the sections' links.
        _ = try browser.load(served.base + "/ui/runs")
        try browser.press("Tab", code: 9)
        #expect(try browser.evaluate("document.activeElement.textContent") == "Skip to content")
        try browser.press("Enter", code: 13)
        #expect(try browser.evaluate("location.hash") == "#main")
        _ = try browser.load(served.base + "/ui/runs")
        // Skip link, the brand, Overview, Runs.
        for _ in 0..<4 { try browser.press("Tab", code: 9) }
        #expect(try browser.evaluate("document.activeElement.getAttribute('href')") == "/ui/runs")
        // The system's dark mode turns the page dark, and back.
        try browser.prefersDark(true)
        _ = try browser.load(served.base + "/ui/runs")
        #expect(try browser.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(15, 20, 25)")
        if let shots = ProcessInfo.processInfo.environment["SLUICE_SCREENSHOTS"] {
            try browser.screenshot(
                to: URL(fileURLWithPath: shots).appendingPathComponent("runs-dark.png"), fullPage: false)
        }
        try browser.prefersDark(false)
        _ = try browser.load(served.base + "/ui/runs")
        #expect(try browser.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(255, 255, 255)")
    }
}

/// The parts of the fixture the views link to.
struct ScaleFixtureMade {
    var failedRunID: String
    var quarantineIDs: [String]

    init(_ made: ScaleFixture.Made) {
        failedRunID = made.failedRunID
        quarantineIDs = made.quarantineIDs
    }
}
