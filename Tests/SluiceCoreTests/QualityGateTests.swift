import Foundation
import SluiceStore
import Testing

@testable import SluiceCore

/// The gate on ingest: reject, quarantine_rows and ratio overflow, with the environment unchanged whenever
/// the gate fails; and promotion refused for a missing or failed gate.
@Suite struct QualityGateTests {
    func harness(policy: String, ratio: Double) throws -> Harness {
        var files = Fixture.files
        files["sluice.yaml"] = Fixture.projectYAML.replacingOccurrences(
            of: "      amount: { type: decimal, min: 0 }\n",
            with:
                "      amount: { type: decimal, min: 0 }\n    on_invalid: \(policy)\n    max_invalid_ratio: \(ratio)\n")
        #expect(files["sluice.yaml"]!.contains("on_invalid: \(policy)"))
        return try Harness(files: files)
    }

    static let mixed = "order_id,amount\n1,10\n2,-5\n3,7\nx,1\n"

    @Test func rejectRefusesTheWholeBatch() async throws {
        let harness = try harness(policy: "reject", ratio: 0)
        try harness.writeLanding("a.csv", Self.mixed)
        do {
            _ = try await harness.workspace("alice").ingest(source: "orders_drop", environment: "dev")
            Issue.record("expected the gate to fail")
        } catch let failed as GateFailed {
            #expect(failed.status == .failed)
            #expect(failed.reason == "2 invalid rows and on_invalid is reject")
            #expect(failed.description.contains("amount.min: 1 rows"))
            #expect(failed.description.contains("line 3 of landing/orders/a.csv: -5"))
        }
        #expect(await harness.metadata.environment("dev") == nil, "nothing landed")
        let batch = try #require(await harness.metadata.quarantines().first)
        #expect(batch.kind == .rejected && batch.rows == 4)
        var data = Data()
        try await harness.workspace("alice").catQuarantine(batch.id) { data.append(contentsOf: $0) }
        #expect(String(decoding: data, as: UTF8.self) == Self.mixed, "the batch is kept as it arrived")
        let run = try #require(await harness.metadata.checkRuns(dataset: nil, environment: nil).first)
        #expect(!run.passed && run.quarantine == batch.id && run.version == nil)
    }

    @Test func quarantineRowsLandsTheValidRows() async throws {
        let harness = try harness(policy: "quarantine_rows", ratio: 0.5)
        try harness.writeLanding("a.csv", Self.mixed)
        let alice = harness.workspace("alice")
        let result = try await alice.ingest(source: "orders_drop", environment: "dev")
        #expect(result.rows == 2 && result.report.invalidRows == 2)
        var landed = Data()
        try await alice.cat("raw.orders", in: "dev") { landed.append(contentsOf: $0) }
        #expect(String(decoding: landed, as: UTF8.self) == "order_id,amount\n1,10\n3,7\n")
        let batchID = try #require(result.quarantined)
        var rows = Data()
        try await alice.catQuarantine(batchID) { rows.append(contentsOf: $0) }
        let lines = String(decoding: rows, as: UTF8.self).split(separator: "\n").map {
            try! JSONSerialization.jsonObject(with: Data($0.utf8)) as! [String: Any]
        }
        #expect(lines.map { $0["line"] as? Int } == [3, 5])
        #expect(lines[0]["failed"] as? [String] == ["amount.min"])
        #expect(lines[1]["failed"] as? [String] == ["order_id.type"])
        #expect(lines[0]["record"] as? String == "2,-5")
        let run = try #require(await harness.metadata.checkRun(forVersion: result.version))
        #expect(run.passed && run.quarantine == batchID)
    }

    @Test func tooManyInvalidRowsRejectsInstead() async throws {
        let harness = try harness(policy: "quarantine_rows", ratio: 0.25)
        try harness.writeLanding("a.csv", Self.mixed)
        await #expect(throws: GateFailed.self) {
            _ = try await harness.workspace("alice").ingest(source: "orders_drop", environment: "dev")
        }
        #expect(await harness.metadata.environment("dev") == nil)
        #expect(await harness.metadata.quarantines().first?.kind == .rejected)
    }

    @Test func failedGateLeavesAnExistingEnvironmentAsItWas() async throws {
        let harness = try harness(policy: "reject", ratio: 0)
        let first = try await harness.workspace("alice").ingest(source: "orders_drop", environment: "dev")
        try harness.writeLanding("b.csv", "order_id,amount\n9,-1\n")
        await #expect(throws: GateFailed.self) {
            _ = try await harness.workspace("alice").ingest(source: "orders_drop", environment: "dev")
        }
        #expect(await harness.metadata.environment("dev")?.head == first.commit)
    }

    @Test func promotionNeedsAPassingGateForEveryVersion() async throws {
        let harness = try Harness()
        let ingested = try await harness.workspace("alice").ingest(source: "orders_drop", environment: "dev")
        // A version that reached dev without a gate (as a damaged or hand-edited store could hold).
        let manifest = VersionManifest(dataset: DatasetName("staged.orders")!, format: .csv, files: [], schema: [])
        let ungated = try DatasetVersion(manifest: manifest, createdAt: harness.now(), createdBy: "x")
        await harness.metadata.saveVersion(ungated)
        let head = try #require(await harness.metadata.commit(ingested.commit))
        var content = head.content
        content.parents = [head.id]
        content.datasets["staged.orders"] = ungated.id
        let commit = try Commit(content)
        await harness.metadata.saveCommit(commit)
        try await harness.metadata.moveEnvironment(
            RefMove(
                environment: "dev", from: head.id, to: commit.id, actor: "x", reason: "test", gitCommit: nil,
                at: harness.now()),
            template: EnvironmentRecord(name: "dev", head: nil, createdAt: harness.now(), createdBy: "x"), audit: nil)
        do {
            _ = try await harness.workspace("ci").promote(from: "dev", to: "prod")
            Issue.record("expected the promotion to be refused")
        } catch let failure as FailureError {
            #expect(failure.message.contains("staged.orders @ \(ungated.id.short): no quality gate result"))
            #expect(!failure.message.contains("raw.orders"))
        }
        // A recorded failure is refused too.
        let report = ValidationReport(
            dataset: "staged.orders", files: [], rows: 0, validRows: 0, invalidRows: 0,
            batchProblems: ["row_count: found 0 rows"],
            checks: [], checkedAt: harness.now())
        let recorded = CheckRun(
            id: "r", dataset: DatasetName("staged.orders")!, environment: "dev", version: ungated.id,
            quarantine: nil, origin: "test", passed: false, report: report, at: harness.now())
        try await harness.metadata.saveCheckRun(
            recorded,
            audit: try recorded.auditDraft(
                by: Identity(principal: "ci", role: nil, authentication: .token), at: harness.now()))
        await #expect(throws: FailureError.self) {
            _ = try await harness.workspace("ci").promote(from: "dev", to: "prod")
        }
        #expect(await harness.metadata.environment("prod") == nil)
    }

    @Test func checkCommandChangesNothing() async throws {
        let harness = try Harness()
        try harness.folder.write("adhoc.csv", Self.mixed)
        let report = try await harness.workspace("alice").check(
            file: harness.folder.root.appendingPathComponent("adhoc.csv"), against: "raw.orders", in: "dev")
        #expect(report.invalidRows == 2 && !report.passed)
        #expect(await harness.metadata.quarantines().isEmpty)
        #expect(await harness.metadata.checkRuns(dataset: nil, environment: nil).isEmpty)
        #expect(await harness.metadata.environment("dev") == nil)
    }
}
