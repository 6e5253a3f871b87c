import Foundation
import SluiceTestSupport
import Testing

/// What a principal may not read does not appear in the UI; PII is masked; hostile values are escaped.
@Suite("Web UI access and escaping")
struct WebAccessTests {
    static let served = Result { try ServedProject() }

    func signedIn(_ principal: String) async throws -> (ServedProject, WebClient) {
        let served = try Self.served.get()
        let browser = WebClient(port: served.port)
        if principal != "anonymous" { try await browser.signIn(token: served.project.tokens[principal]!) }
        return (served, browser)
    }

    @Test("an analyst who reads only prod's curated zone sees none of dev's runs, datasets or environments")
    func analystSeesOnlyWhatTheyMayRead() async throws {
        let (served, bob) = try await signedIn("bob")
        let devRuns = try await served.get("/api/v1/runs", as: "ci")
        let devRun = try #require((devRuns.object["items"] as? [[String: Any]])?.first?["id"] as? String)
        let runs = try await bob.get("/ui/runs")
        #expect(runs.status == 200)
        #expect(!runs.body.contains(devRun))
        #expect(runs.body.contains("No runs"))
        #expect(try await bob.get("/ui/runs/\(devRun)").status == 403)
        let home = try await bob.get("/ui")
        #expect(!home.body.contains(devRun))
        let datasets = try await bob.get("/ui/datasets")
        #expect(datasets.body.contains("curated.revenue_by_country"))
        #expect(!datasets.body.contains("raw.customers") && !datasets.body.contains("staged.orders"))
        let environments = try await bob.get("/ui/environments")
        #expect(environments.body.contains("prod"))
        #expect(!environments.body.contains(">dev<") && !environments.body.contains("/ui/environments/dev"))
        #expect(try await bob.get("/ui/environments/dev").status == 403)
        #expect(try await bob.get("/ui/datasets/raw.customers?env=dev").status == 403)
        // The lifecycle plan needs gc's grants: the page says so instead of running it.
        #expect(try await bob.get("/ui/lifecycle").body.contains("needs the grants gc needs"))
        // The audit log (who did what, to which data) is an admin's, in the UI as in the API (issue 21 item 12).
        let audit = try await bob.get("/ui/audit")
        #expect(audit.status == 403 && audit.body.contains("may not read the audit log"), "\(audit.status)")
        #expect(!(try await bob.get("/ui").body.contains("Denied in the last 24 hours")))
    }

    @Test("an anonymous visitor sees internal data only, and no audit log")
    func anonymousVisitor() async throws {
        let (_, visitor) = try await signedIn("anonymous")
        let datasets = try await visitor.get("/ui/datasets")
        #expect(datasets.body.contains("staged.orders"))
        #expect(!datasets.body.contains("raw.customers"), "confidential data is not listed for anonymous visitors")
        #expect(try await visitor.get("/ui/datasets/raw.customers?env=dev").status == 403)
        let audit = try await visitor.get("/ui/audit")
        #expect(audit.status == 403)
        #expect(audit.body.contains("anonymous may not read the audit log"))
        #expect(!(try await visitor.get("/ui").body.contains("Denied in the last 24 hours")))
        #expect(try await visitor.get("/ui/flow").status == 403, "who may touch what is for signed-in principals")
        #expect(try await visitor.get("/ui/flow.svg").status == 403)
    }

    @Test("the data flow page shows the diagram of the environment asked for, as an image with its own style only")
    func dataFlowPage() async throws {
        let (_, ops) = try await signedIn("ops")
        let page = try await ops.get("/ui/flow?env=prod")
        #expect(page.status == 200)
        #expect(page.body.contains(#"<img src="/ui/flow.svg?env=prod""#))
        #expect(page.body.contains("output-without-contract"), "the demo's outputs have no contracts")
        let image = try await ops.get("/ui/flow.svg?env=prod")
        #expect(image.status == 200)
        #expect(image.header("Content-Type") == "image/svg+xml; charset=utf-8")
        #expect(image.header("Content-Security-Policy") == "default-src 'none'; style-src 'unsafe-inline'")
        #expect(image.body.hasPrefix("<svg") && !image.body.contains("<script"))
        #expect(image.body.contains("staged.orders"))
        #expect(try await ops.get("/ui/flow?env=%3Cscript%3E").status == 400)
        // Issue 23 item 9: the picture scrolls in its frame at any zoom (never cut off), and fits the page on ask.
        let natural = try #require(
            image.body.range(of: #"width="[0-9.]+""#, options: .regularExpression).map {
                Double(image.body[$0].dropFirst(7).dropLast())
            } ?? nil)
        let zoomed = try await ops.get("/ui/flow?env=prod&zoom=200")
        #expect(zoomed.body.contains(#"width="\#(Int(natural) * 2)""#), "\(natural)")
        #expect(try await ops.get("/ui/flow?env=prod&zoom=fit").body.contains(#"<div class="flow fit">"#))
        #expect(try await ops.get("/ui/flow?env=prod&zoom=9999").status == 400)
    }

    @Test("PII is masked in a dataset's sample for a principal without an unmask grant")
    func piiIsMasked() async throws {
        let (_, alice) = try await signedIn("alice")
        let page = try await alice.get("/ui/datasets/raw.customers?env=dev")
        #expect(page.status == 200)
        #expect(page.body.contains("Sample"))
        #expect(!page.body.contains("ada1@example.com"), "the email column is PII")
        #expect(page.body.contains("Ada"), "columns that are not PII are shown")
    }

    @Test("every page carries a content security policy and loads nothing from elsewhere")
    func pagesKeepToThemselves() async throws {
        let (served, ops) = try await signedIn("ops")
        let runs = try await served.get("/api/v1/runs", as: "ci")
        let run = try #require((runs.object["items"] as? [[String: Any]])?.first?["id"] as? String)
        let paths = [
            "/ui", "/ui/runs", "/ui/runs/\(run)", "/ui/datasets", "/ui/datasets/staged.orders?env=dev",
            "/ui/environments", "/ui/environments/dev", "/ui/compare?from=dev&to=prod", "/ui/quality", "/ui/audit",
            "/ui/lifecycle", "/ui/signin", "/ui/flow?env=dev",
        ]
        for path in paths {
            let page = try await ops.get(path)
            #expect(page.status == 200, "\(path): \(page.status)")
            let policy = page.header("Content-Security-Policy") ?? ""
            #expect(policy.contains("default-src 'none'") && policy.contains("script-src 'self'"), "\(path)")
            #expect(!policy.contains("unsafe-inline"))
            #expect(page.header("X-Frame-Options") == "DENY")
            #expect(page.header("X-Content-Type-Options") == "nosniff")
            #expect(page.header("Cache-Control") == "no-store")
            for attribute in ["src=\"http", "href=\"http", "src=\"//", "href=\"//", "<script>", "style=\""] {
                #expect(!page.body.contains(attribute), "\(path) has \(attribute)")
            }
        }
    }

    @Test("hostile values in data and names reach the page as text, never as markup")
    func hostileValuesAreEscaped() async throws {
        let project = try CLIProject()
        try project.makeTokens()
        try project.write(
            "landing/customers/customers.csv",
            "customer_id,name,email,country,signed_up_at\n"
                + "1,<script>alert(1)</script>,a@example.com,GB,2026-01-01T00:00:00Z\n"
                + "2,\"\"\"><img src=x onerror=alert(2)>\",b@example.com,SE,2026-01-01T00:00:00Z\n")
        try project.ingestCustomers()
        let served = try ServedProject(serving: project)
        let browser = WebClient(port: served.port)
        try await browser.signIn(token: project.tokens["alice"]!)
        let page = try await browser.get("/ui/datasets/raw.customers?env=dev")
        #expect(page.status == 200)
        #expect(!page.body.contains("<script>alert(1)"))
        #expect(!page.body.contains("<img src=x"))
        #expect(page.body.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(page.body.contains("&quot;&gt;&lt;img src=x onerror=alert(2)&gt;"))
        // A hostile query string is escaped where it is echoed.
        let search = try await browser.get("/ui/datasets?q=%22%3E%3Cscript%3Ealert(3)%3C/script%3E")
        #expect(!search.body.contains("<script>alert(3)"))
        #expect(search.body.contains("&quot;&gt;&lt;script&gt;alert(3)&lt;/script&gt;"))
    }
}
