import Foundation
import SluiceTestSupport
import Testing

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Issue 14 item 1: `/metrics` in the Prometheus text format, checked by the real tools: `promtool check
/// metrics` on a scrape taken after a run, and a real Prometheus that scrapes the service and answers a query.
@Suite("Prometheus metrics", .serialized)
struct MetricsTests {

    /// A served project after a run the service itself ran.
    static func servedAfterARun() async throws -> (ServedProject, runID: String) {
        let project = try CLIProject()
        try project.makeTokens()
        try project.ingestCustomers()
        guard try project.run(as: "alice", ["ingest", "orders_drop"]).status == 0 else {
            throw CLIError(message: "ingest failed")
        }
        let served = try ServedProject(serving: project)
        let started = try await served.post("/api/v1/runs", #"{"pipeline": "daily", "environment": "dev"}"#, as: "ci")
        let id = try #require(started.object["id"] as? String, "\(started.object)")
        for _ in 0..<200 {
            if try await served.get("/api/v1/runs/\(id)", as: "ci").object["status"] as? String != "running" { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        return (served, id)
    }

    static func scrape(_ served: ServedProject) async throws -> String {
        String(decoding: try await served.get("/metrics").body, as: UTF8.self)
    }

    @Test("a scrape after a run holds the run, its steps and the requests, with help text, and promtool finds it clean")
    func scrapeAfterARun() async throws {
        let (served, id) = try await Self.servedAfterARun()
        // A collection through the service is counted too (the second run's outputs replaced the first's).
        let collected = try await served.post("/api/v1/gc", #"{"grace": "0s"}"#, as: "ci")
        #expect(collected.status == 200, "\(collected.object)")
        let text = try await Self.scrape(served)
        #expect(text.contains("# TYPE sluice_gc_bytes_freed_total counter"))
        #expect(text.contains(#"sluice_runs_started_total{pipeline="daily",environment="dev"} 1"#))
        #expect(text.contains(#"sluice_runs_finished_total{pipeline="daily",environment="dev",outcome="succeeded"} 1"#))
        #expect(text.contains(#"sluice_step_attempts_total{pipeline="daily",step="clean_orders"} 1"#))
        for bound in ["1.0", "10.0", "60.0", "300.0", "1800.0", "+Inf"] {
            #expect(
                text.contains(
                    #"sluice_step_duration_seconds_bucket{pipeline="daily",step="revenue",outcome="succeeded",le="\#(bound)"}"#
                ))
        }
        #expect(text.contains(#"sluice_build_info{version=""#))
        #expect(text.contains(#"sluice_store_objects{zone="raw"}"#))
        #expect(!text.contains(#"sluice_store_object_bytes{zone="raw"} 0.0"#), "the raw zone holds data")
        #expect(text.contains(#"sluice_pipeline_last_run_failed{pipeline="daily",environment="dev"} 0.0"#))
        #expect(
            text.contains(#"sluice_dataset_last_success_timestamp_seconds{dataset="raw.orders",environment="dev"}"#))
        #expect(text.contains(#"sluice_http_requests_total{route="/api/v1/runs",method="POST",status="202"} 1"#))
        #expect(text.contains(#"sluice_audit_events_total{action="run",outcome="succeeded"}"#))
        // Labels stay bounded: no run id, no token, no file name.
        #expect(!text.contains(id))
        #expect(!text.contains("landing/"))
        // Every metric has its help text.
        for line in text.split(separator: "\n") where line.hasPrefix("# TYPE ") {
            let name = line.split(separator: " ")[2]
            #expect(text.contains("# HELP \(name) "), "\(name) has no help text")
        }
        let promtool = try #require(
            ExternalTool.promtool, "promtool is installed by the test command (Debian's prometheus)")
        let (status, output) = try promtool.run(["check", "metrics"], input: Data(text.utf8))
        #expect(status == 0, "promtool check metrics: \(output)")
    }

    @Test("a real Prometheus scrapes the service and answers a query about it")
    func prometheusScrapesAndQueries() async throws {
        let prometheusBinary = try #require(
            ExternalTool.prometheus, "Debian's prometheus is installed by the test command"
        ).path
        let (served, _) = try await Self.servedAfterARun()
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-prom-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let config = folder.appendingPathComponent("prometheus.yml")
        try Data(
            """
            global: { scrape_interval: 1s, evaluation_interval: 1s }
            scrape_configs:
              - job_name: sluice
                static_configs: [{ targets: ["127.0.0.1:\(served.port)"] }]

            """.utf8
        ).write(to: config)
        let port = try Self.freePort()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: prometheusBinary)
        process.arguments = [
            "--config.file=\(config.path)", "--storage.tsdb.path=\(folder.appendingPathComponent("data").path)",
            "--web.listen-address=127.0.0.1:\(port)",
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        defer {
            process.terminate()
            process.waitUntilExit()
        }
        var answer = ""
        let query = "sluice_runs_finished_total%7Bpipeline%3D%22daily%22%2Coutcome%3D%22succeeded%22%7D"
        for _ in 0..<150 {
            answer = (try? await Self.fetch("http://127.0.0.1:\(port)/api/v1/query?query=\(query)")) ?? ""
            if answer.contains(#""value":["#) { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(answer.contains(#""status":"success""#), "\(answer)")
        #expect(answer.contains(#""job":"sluice""#), "\(answer)")
        #expect(answer.hasSuffix(#",\"1\"]}]}}"#) || answer.contains(#","1"]"#), "the run counted once: \(answer)")
        let targets = try await Self.fetch("http://127.0.0.1:\(port)/api/v1/targets")
        #expect(targets.contains(#""health":"up""#), "\(targets)")
    }

    static func fetch(_ url: String) async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            URLSession.shared.dataTask(with: URL(string: url)!) { data, _, error in
                if let error { return continuation.resume(throwing: error) }
                continuation.resume(returning: String(decoding: data ?? Data(), as: UTF8.self))
            }.resume()
        }
    }

    /// A port free on loopback now (the kernel picks it; Prometheus then listens on it).
    static func freePort() throws -> Int {
        let socket = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.bind(socket, $0, length) == 0 && getsockname(socket, $0, &length) == 0
            }
        }
        guard bound else { throw CLIError(message: "no free port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
