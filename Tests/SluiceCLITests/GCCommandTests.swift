import Foundation
import SluiceTestSupport
import Testing

/// `sluice gc` against the real binary and store: a sweep killed midway, and a run in progress meanwhile.
@Suite struct GCCommandTests {
    func objectCount(_ project: CLIProject) -> Int {
        let objects = project.folder.appendingPathComponent(".sluice/objects")
        let shards = (try? FileManager.default.contentsOfDirectory(atPath: objects.path)) ?? []
        return shards.reduce(0) {
            $0
                + ((try? FileManager.default.contentsOfDirectory(atPath: objects.appendingPathComponent($1).path))?
                    .count ?? 0)
        }
    }

    /// A sandbox that expires at once (--ttl 0s) holding data of its own.
    func expiredSandbox(_ project: CLIProject) throws {
        #expect(try project.run(as: "alice", ["ingest", "customers_drop"]).status == 0)
        #expect(
            try project.run(as: "alice", ["env", "create", "sandbox/tmp", "--from", "dev", "--ttl", "0s"]).status == 0)
        for index in 0..<3 {
            try project.write(
                "extra/orders-\(index).csv",
                "order_id,customer_id,amount,status,ordered_at\n\(index + 10),1,\(index).5,paid,2026-11-24T10:00:00Z\n")
            let ingest = try project.run(
                as: "alice", ["ingest", "orders_drop", "--env", "sandbox/tmp", "--file", "extra/orders-\(index).csv"])
            #expect(ingest.status == 0, "\(ingest.stderr)")
        }
    }

    @Test func aSweepKilledMidwayLeavesAVerifiableStoreAndARerunFinishes() throws {
        let project = try CLIProject()
        try project.makeTokens()
        try expiredSandbox(project)
        let plan = try project.run(as: "ci", ["gc", "--dry-run", "--grace", "0s", "--json"])
        #expect(plan.status == 0, "\(plan.stderr)")
        let planned = try #require(try JSONSerialization.jsonObject(with: Data(plan.stdout.utf8)) as? [String: Any])
        let doomed = try #require(planned["objects"] as? [[String: Any]])
        #expect(doomed.count >= 3, "\(plan.stdout)")
        let total = objectCount(project)

        let log = project.folder.appendingPathComponent("gc.err")
        let (process, _, _) = try project.sluice.start(
            ["gc", "--grace", "0s"],
            environment: [
                "SLUICE_TOKEN": try #require(project.tokens["ci"]), "SLUICE_TEST_PAUSE_AT": "gc.sweep",
                "SLUICE_TEST_RESUME_FILE": project.folder.appendingPathComponent("never").path,
            ], stderrFile: log)
        try waitFor("paused at gc.sweep", in: log)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(objectCount(project) == total - 1, "killed after its first deletion")
        let verify = try project.run(["verify"])
        #expect(verify.status == 0, "\(verify.stdout)")

        // The killed collection still holds the rest for deletion: a collection run at once leaves them (and
        // so would a writer of the same bytes wait), one run after the lease lapsed deletes them.
        let early = try project.run(as: "ci", ["gc", "--grace", "0s"])
        #expect(early.status == 0, "\(early.stderr)")
        #expect(objectCount(project) == total - 1)
        Thread.sleep(forTimeInterval: 16)
        let rerun = try project.run(as: "ci", ["gc", "--grace", "0s"])
        #expect(rerun.status == 0, "\(rerun.stderr)")
        #expect(objectCount(project) == total - doomed.count)
        #expect(try project.run(["verify"]).status == 0)
        #expect(try project.run(as: "ci", ["gc", "--grace", "0s", "--json"]).stdout.contains("\"objects\" : [\n\n  ]"))
    }

    @Test func aRunInProgressKeepsEveryObjectItWrites() throws {
        let project = try CLIProject()
        try project.makeTokens()
        try project.ingestCustomers()
        #expect(try project.run(as: "alice", ["ingest", "orders_drop"]).status == 0)
        let log = project.folder.appendingPathComponent("run.err")
        let resume = project.folder.appendingPathComponent("resume")
        let (process, out, _) = try project.sluice.start(
            ["run", "daily"],
            environment: [
                "SLUICE_TOKEN": try #require(project.tokens["ci"]), "SLUICE_TEST_PAUSE_AT": "run.land",
                "SLUICE_TEST_RESUME_FILE": resume.path,
            ], stderrFile: log)
        try waitFor("paused at run.land", in: log)
        // Every output is stored but in no environment yet; with no grace period only the run record keeps it.
        let gc = try project.run(as: "ci", ["gc", "--grace", "0s"])
        #expect(gc.status == 0, "\(gc.stderr)")
        #expect(FileManager.default.createFile(atPath: resume.path, contents: nil))
        let printed = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(printed)")
        #expect(try project.run(["verify"]).status == 0)
        let revenue = try project.run(as: "alice", ["cat", "curated.revenue_by_country"])
        #expect(revenue.status == 0 && revenue.stdout.contains("GB"), "\(revenue.stderr)")
    }
}
