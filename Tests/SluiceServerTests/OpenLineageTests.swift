import Foundation
import SluiceTestSupport
import Testing

/// Issue 14 item 5: runs send OpenLineage events as they happen, to the endpoint the project names: each
/// step run a job run whose parent run facet names its pipeline run, sql steps with the SQL job facet, queued
/// in the store's outbox while the endpoint is away and delivered once it is back. Every event is validated
/// against the official OpenLineage schemas (`OpenLineageSchema/`) with Python's `jsonschema`.
@Suite("OpenLineage", .serialized)
struct OpenLineageTests {
    static let schemaFolder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("OpenLineageSchema")

    /// Runs `validate.py` on `events`; its verdict and report.
    static func validate(_ events: [Data]) throws -> (Bool, String) {
        let tool = try #require(
            ExternalTool.venv("python3"), "the test command makes .build/test-venv with jsonschema in it")
        let input = events.map { String(decoding: $0, as: UTF8.self) }.joined(separator: "\n")
        let (status, output) = try tool.run(
            [schemaFolder.appendingPathComponent("validate.py").path], input: Data(input.utf8))
        return (status == 0, output)
    }

    @Test("events queued while the endpoint is away arrive once it is back, and all validate against the schema")
    func eventsValidateAndSurviveAnOutage() async throws {
        let port = try MetricsTests.freePort()
        let (project, _) = try ServedProject.projectWatching("ok", commit: "openlineage and a flaky pipeline") { ok in
            """
              flaky:
                steps:
                  check: { command: [sh, -c, 'test -e "$1"', sh, "\(ok)"] }
            openlineage: { url: "http://127.0.0.1:\(port)/lineage-server" }

            """
        }
        try project.ingestCustomers()
        #expect(try project.run(as: "alice", ["ingest", "orders_drop"]).status == 0)
        // Nobody listens: the run is not held up, and its events wait in the outbox.
        let started = Date()
        let ran = try project.run(as: "ci", ["run", "daily", "--env", "dev"])
        #expect(ran.status == 0, "\(ran.stderr)")
        #expect(Date().timeIntervalSince(started) < 30)
        let queued = try project.sqlite("SELECT count(*) FROM outbox WHERE channel = 'openlineage'")
        #expect(Int(queued.trimmingCharacters(in: .whitespacesAndNewlines)) == 6, "pipeline and 2 steps, START and end")

        let receiver = try await TestReceiver(port: port)
        defer { receiver.stop() }
        let served = try ServedProject(serving: project)
        let path = "/lineage-server/api/v1/lineage"
        try await Self.waitForCount(6, at: path, in: receiver)
        // Through the service: a run that fails.
        let failed = try await AlertingTests.run(served)
        #expect(failed.status == "failed")
        try await Self.waitForCount(10, at: path, in: receiver)

        // Deliveries are at least once: a message whose answer came too late (a loaded machine) is sent again,
        // byte for byte. The events are the distinct bodies.
        let posts = Self.distinct(await receiver.received.posts.filter { $0.path == path }.map(\.body))
        let (valid, report) = try Self.validate(posts)
        #expect(valid, "\(report)")
        let events = posts.compactMap { try? JSONSerialization.jsonObject(with: $0) as? [String: Any] }
        try Self.checkShape(
            events,
            sql: try String(
                contentsOf: project.folder.appendingPathComponent("models/clean_orders.sql"), encoding: .utf8))
        // The last delivery is settled once its answer is read: the outbox empties.
        var left = ""
        for _ in 0..<300 {
            left = try project.sqlite("SELECT count(*) FROM outbox").trimmingCharacters(in: .whitespacesAndNewlines)
            if left == "0" { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(left == "0")
        // The lineage the command line exports, as events, validates too.
        let exported = try project.run(
            as: "ci", ["lineage", "curated.revenue_by_country", "--env", "dev", "--format", "openlineage"])
        let lines = exported.stdout.split(separator: "\n").map { Data($0.utf8) }
        #expect(lines.count == 4, "\(exported.stdout)\(exported.stderr)")
        let (exportedValid, exportedReport) = try Self.validate(lines)
        #expect(exportedValid, "\(exportedReport)")
    }

    /// Issue 23 item 5: dev's and prod's datasets (and the jobs that made them) are in namespaces of their own,
    /// `sluice://STORE/ENVIRONMENT`, so that a lineage server never joins their graphs.
    @Test("each environment's datasets and jobs have a namespace of their own")
    func environmentsHaveNamespacesOfTheirOwn() throws {
        let project = try CLIProject()
        try project.makeTokens()
        try project.ingestCustomers()
        #expect(try project.run(as: "alice", ["ingest", "orders_drop"]).status == 0)
        #expect(try project.run(as: "ci", ["promote", "--from", "dev", "--to", "prod"]).status == 0)
        var seen: [String: Set<String>] = [:]
        for environment in ["dev", "prod"] {
            #expect(try project.run(as: "ci", ["run", "daily", "--env", environment]).status == 0)
            let exported = try project.run(
                as: "ci", ["lineage", "curated.revenue_by_country", "--env", environment, "--format", "openlineage"])
            for line in exported.stdout.split(separator: "\n") {
                let event = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                let datasets =
                    (event["inputs"] as? [[String: Any]] ?? []) + (event["outputs"] as? [[String: Any]] ?? [])
                for named in datasets + [event["job"] as? [String: Any] ?? [:]] {
                    seen[environment, default: []].insert(named["namespace"] as? String ?? "")
                }
            }
        }
        let name = project.folder.lastPathComponent.lowercased()
        #expect(seen["dev"] == ["sluice://\(name)/dev"], "\(seen)")
        #expect(seen["prod"] == ["sluice://\(name)/prod"], "\(seen)")
    }

    @Test("the schema check refuses what breaks the spec: a run id that is no UUID, a facet missing a field")
    func theCheckCanFail() throws {
        let event = """
            {"eventType": "START", "eventTime": "2026-11-28T10:00:00Z", "producer": "urn:sluice:engine:1",
             "schemaURL": "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent",
             "run": {"runId": "r20261128-100000-abcdef", "facets": {"parent": {"_producer": "urn:x",
               "_schemaURL": "https://openlineage.io/spec/facets/1-2-0/ParentRunFacet.json#/$defs/ParentRunFacet",
               "run": {"runId": "0b7a6c1e-5d1f-5c39-8a51-1f0e2b3c4d5e"}}}},
             "job": {"namespace": "sluice/demo", "name": "daily"}}
            """.replacingOccurrences(of: "\n", with: " ")
        let (valid, report) = try Self.validate([Data(event.utf8)])
        #expect(!valid)
        #expect(report.contains("is not a 'uuid'"), "\(report)")
        #expect(report.contains("'job' is a required property"), "\(report)")
    }

    static func waitForCount(_ count: Int, at path: String, in receiver: TestReceiver) async throws {
        func arrived() async -> Int {
            distinct(await receiver.received.posts.filter { $0.path == path }.map(\.body)).count
        }
        for _ in 0..<600 {
            if await arrived() >= count { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("only \(await arrived()) of \(count) events arrived")
    }

    /// The bodies, each once, in the order they first arrived.
    static func distinct(_ bodies: [Data]) -> [Data] {
        var seen = Set<Data>()
        return bodies.filter { seen.insert($0).inserted }
    }

    /// Each step run starts and ends under its pipeline run, named by the parent facet; sql steps say their SQL.
    static func checkShape(_ events: [[String: Any]], sql: String) throws {
        func job(_ event: [String: Any]) -> String { (event["job"] as? [String: Any])?["name"] as? String ?? "" }
        func runID(_ event: [String: Any]) -> String { (event["run"] as? [String: Any])?["runId"] as? String ?? "" }
        func facets(_ event: [String: Any]) -> [String: Any] {
            (event["run"] as? [String: Any])?["facets"] as? [String: Any] ?? [:]
        }
        let daily = events.filter { job($0) == "daily" }
        #expect(daily.map { $0["eventType"] as? String } == ["START", "COMPLETE"])
        let pipelineRun = runID(try #require(daily.first))
        for step in ["daily.clean_orders", "daily.revenue"] {
            let runs = events.filter { job($0) == step }
            #expect(runs.map { $0["eventType"] as? String } == ["START", "COMPLETE"], "\(step)")
            for event in runs {
                let parent = try #require(facets(event)["parent"] as? [String: Any])
                #expect((parent["run"] as? [String: Any])?["runId"] as? String == pipelineRun)
                #expect((parent["job"] as? [String: Any])?["name"] as? String == "daily")
                let jobFacets = (event["job"] as? [String: Any])?["facets"] as? [String: Any] ?? [:]
                #expect(jobFacets["sql"] != nil, "\(step) is a sql step")
            }
        }
        let clean = try #require(events.first { job($0) == "daily.clean_orders" })
        let sqlFacet = ((clean["job"] as? [String: Any])?["facets"] as? [String: Any])?["sql"] as? [String: Any]
        #expect(sqlFacet?["query"] as? String == sql)
        let completed = try #require(
            events.first { job($0) == "daily.clean_orders" && $0["eventType"] as? String == "COMPLETE" })
        #expect((completed["outputs"] as? [[String: Any]])?.first?["name"] as? String == "staged.orders")
        #expect((completed["inputs"] as? [[String: Any]])?.contains { $0["name"] as? String == "raw.orders" } == true)
        let failedStep = try #require(events.first { job($0) == "flaky.check" && $0["eventType"] as? String == "FAIL" })
        #expect(facets(failedStep)["errorMessage"] != nil)
        #expect(events.contains { job($0) == "flaky" && $0["eventType"] as? String == "FAIL" })
        #expect(Set(events.map(runID)).count == 5, "3 step runs and 2 pipeline runs")
    }
}
