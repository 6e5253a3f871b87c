import ArgumentParser
import Foundation
import SluiceFixtures
import SluiceServer

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Every page of the web UI served at scale (20 pipelines, 5,000 runs, 200 datasets, 20,000 audit events), one
/// request at a time as a person clicks, signed in as an admin: the median and 95th percentile of each page's
/// answer time against `/healthz` (the service's floor) measured in the same run, and the 100 ms target.
struct UIBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ui", abstract: "Time every web UI page on a store at scale, against /healthz.")

    @Option(help: "Requests per page (after 3 untimed ones).")
    var requests = 30

    @Option(help: "Scratch folder (the fixture's project and store).")
    var scratch = "/tmp/sluice-bench-ui"

    func run() async throws {
        let folder = URL(fileURLWithPath: scratch).appendingPathComponent("project-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let fixture = ScaleFixture()
        print(
            "making the fixture: \(fixture.pipelines) pipelines, \(fixture.runs) runs, \(fixture.datasetCount) datasets, \(fixture.auditEvents) audit events …"
        )
        let made = try await fixture.make(in: folder)
        let service = SluiceService(context: try await ServerContext.open(root: folder), port: 0)
        let (port, stream) = AsyncStream.makeStream(of: Int.self)
        // The whole service, scheduler and lifecycle keeper included, as `sluice serve` runs it.
        let server = Task { try await service.run { stream.yield($0) } }
        defer { server.cancel() }
        var ports = port.makeAsyncIterator()
        guard let listening = await ports.next() else { throw BenchError("the service did not start") }
        let client = PageClient(base: "http://127.0.0.1:\(listening)")
        try await client.signIn(token: made.tokens["ops"] ?? "")
        let pages = [
            "/ui", "/ui/runs", "/ui/runs?status=failed&since=7d", "/ui/runs/\(made.failedRunID)", "/ui/datasets",
            "/ui/datasets/curated.p03_s6?env=dev", "/ui/datasets/raw.source_001?env=prod", "/ui/environments",
            "/ui/environments/dev", "/ui/compare?from=dev&to=prod", "/ui/quality",
            "/ui/quality/quarantine/\(made.quarantineIDs[0])", "/ui/audit", "/ui/audit?outcome=denied",
            "/ui/lifecycle", "/ui/flow?env=prod", "/ui/flow.svg?env=prod",
        ]
        let floor = try await client.time("/healthz", requests: requests)
        func padded(_ text: String) -> String { text.padding(toLength: 44, withPad: " ", startingAt: 0) }
        print("\(padded("page"))    median       p95   × floor")
        print(padded("/healthz (floor)") + String(format: " %7.2f ms %7.2f ms", floor.median, floor.p95))
        var slowest = 0.0
        for page in pages {
            let timing = try await client.time(page, requests: requests)
            slowest = max(slowest, timing.p95)
            print(
                padded(String(page.prefix(44)))
                    + String(
                        format: " %7.2f ms %7.2f ms %7.1f×", timing.median, timing.p95,
                        timing.median / max(floor.median, 0.001)))
        }
        print(
            String(format: "slowest page p95: %.2f ms (target < 100 ms: %@)", slowest, slowest < 100 ? "met" : "MISSED")
        )
    }
}

/// A signed-in browser for the benchmark: keeps the session cookie, times pages.
final class PageClient: @unchecked Sendable {
    let base: String
    private var cookie = ""
    private let session: URLSession

    init(base: String) {
        self.base = base
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpShouldSetCookies = false
        configuration.httpCookieStorage = nil
        session = URLSession(configuration: configuration, delegate: NoRedirects(), delegateQueue: nil)
    }

    /// The sign-in answers 303 with the session cookie: read that answer, not the page it leads to.
    private final class NoRedirects: NSObject, URLSessionTaskDelegate, @unchecked Sendable {
        func urlSession(
            _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
            newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void
        ) {
            completionHandler(nil)
        }
    }

    func signIn(token: String) async throws {
        let (page, response) = try await fetch("/ui/signin")
        let html = String(decoding: page, as: UTF8.self)
        guard let range = html.range(of: #"name="csrf" value="[^"]*""#, options: .regularExpression),
            let setCookie = response.value(forHTTPHeaderField: "Set-Cookie")
        else { throw BenchError("no sign-in form") }
        let secret = String(html[range]).split(separator: "\"")[3]
        cookie = String(setCookie.split(separator: ";")[0])
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let body = "csrf=\(secret)&token=\(token.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")"
        let (_, answer) = try await fetch("/ui/signin", body: Data(body.utf8))
        guard let session = answer.value(forHTTPHeaderField: "Set-Cookie"), session.contains("sluice_session=") else {
            throw BenchError("sign-in failed: \(answer.statusCode)")
        }
        cookie = String(session[session.range(of: "sluice_session=")!.lowerBound...].split(separator: ";")[0])
    }

    struct Timing {
        var median: Double
        var p95: Double
    }

    /// Milliseconds per request for `path`, after three untimed requests.
    func time(_ path: String, requests: Int) async throws -> Timing {
        for _ in 0..<3 { _ = try await fetch(path) }
        var times: [Double] = []
        for _ in 0..<requests {
            let start = DispatchTime.now().uptimeNanoseconds
            let (_, response) = try await fetch(path)
            times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            guard response.statusCode == 200 else { throw BenchError("\(path) answered \(response.statusCode)") }
        }
        times.sort()
        return Timing(median: times[times.count / 2], p95: times[min(times.count - 1, times.count * 95 / 100)])
    }

    private func fetch(_ path: String, body: Data? = nil) async throws -> (Data, HTTPURLResponse) {
        var request = URLRequest(url: URL(string: base + path)!)
        if let body {
            request.httpMethod = "POST"
            request.httpBody = body
            request.setValue("application/x-www-form-urlencoded", forHTTPHeaderField: "Content-Type")
            request.setValue(base, forHTTPHeaderField: "Origin")
        }
        if !cookie.isEmpty { request.setValue(cookie, forHTTPHeaderField: "Cookie") }
        return try await withCheckedThrowingContinuation { continuation in
            session.dataTask(with: request) { data, response, error in
                if let error { return continuation.resume(throwing: error) }
                continuation.resume(returning: (data ?? Data(), response as! HTTPURLResponse))
            }.resume()
        }
    }
}
