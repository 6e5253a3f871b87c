import Foundation
import SluiceCore
import SluiceRunner
import Testing

/// Every output records the step run, input versions, cache key and git commit that made it; lineage
/// follows those records both ways, and OpenLineage events describe each step run.
@Suite struct LineageTests {
    @Test func lineageFollowsRecordedStepRunsBothWays() async throws {
        let harness = try RunnerHarness(files: PipelineRunnerTests.twoStepFiles())
        try harness.write("flags/ok", "")
        try await harness.ingest("id,amount\n1,1\n")
        let run = try await harness.runner().run("two", options: RunOptions(environment: "dev"))
        let workspace = try harness.workspace()

        let up = try await workspace.lineage("curated.orders", in: "dev", directions: .upstream)
        let made = try #require(up.made)
        #expect(made.runID == run.id && made.step == "check" && made.pipeline == "two")
        #expect(made.cacheKey == run.step("check")?.cacheKey)
        #expect(made.inputs["staged.orders"] == run.step("clean")?.outputs["staged.orders"])
        let staged = try #require(up.upstream.first)
        #expect(staged.dataset.description == "staged.orders" && staged.made?.step == "clean")
        let raw = try #require(staged.upstream.first)
        #expect(raw.dataset.description == "raw.orders" && raw.made == nil && raw.origin == "ingest orders")
        #expect(up.downstream.isEmpty)

        let down = try await workspace.lineage("raw.orders", in: "dev", directions: .downstream)
        #expect(down.downstream.map(\.dataset.description) == ["staged.orders"])
        #expect(down.downstream.first?.downstream.map(\.dataset.description) == ["curated.orders"])
    }

    @Test func openLineageEventsCarryRunsDatasetsAndQuality() async throws {
        let harness = try RunnerHarness(files: PipelineRunnerTests.twoStepFiles())
        try harness.write("flags/ok", "")
        try await harness.ingest("id,amount\n1,1\n")
        _ = try await harness.runner().run("two", options: RunOptions(environment: "dev"))
        let workspace = try harness.workspace()
        let root = try await workspace.lineage("curated.orders", in: "dev", directions: .upstream)
        let events = try await workspace.openLineageEvents(root, in: "dev")
        #expect(events.map { $0["eventType"] as? String } == ["START", "COMPLETE", "START", "COMPLETE"])
        let uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
        for event in events {
            // Valid JSON with the RunEvent's required fields.
            _ = try JSONSerialization.data(withJSONObject: event)
            for key in ["eventTime", "producer", "schemaURL", "run", "job"] { #expect(event[key] != nil, "\(key)") }
            let runID = try #require((event["run"] as? [String: Any])?["runId"] as? String)
            #expect(runID.wholeMatch(of: uuid) != nil, "\(runID)")
        }
        let clean = events[0]
        #expect((clean["job"] as? [String: Any])?["name"] as? String == "two.clean")
        let output = try #require((clean["outputs"] as? [[String: Any]])?.first)
        #expect(output["name"] as? String == "staged.orders")
        // Issue 11 item 6: counts are those of the stored version (one row), not of a gate report.
        let statistics = (output["outputFacets"] as? [String: Any])?["outputStatistics"] as? [String: Any]
        #expect(statistics?["rowCount"] as? Int64 == 1, "\(String(describing: statistics))")
        let facets = try #require(output["facets"] as? [String: Any])
        let assertions = try #require(
            (facets["dataQualityAssertions"] as? [String: Any])?["assertions"] as? [[String: Any]])
        #expect(assertions.contains { $0["assertion"] as? String == "amount.min" && $0["success"] as? Bool == true })
        for facet in facets.values {
            let facet = try #require(facet as? [String: Any])
            #expect(facet["_producer"] is String && facet["_schemaURL"] is String)
        }
        let input = try #require((clean["inputs"] as? [[String: Any]])?.first)
        #expect(input["name"] as? String == "raw.orders")
        #expect((input["inputFacets"] as? [String: Any])?["dataQualityMetrics"] != nil)
    }
}
