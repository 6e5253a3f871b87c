import Foundation
import SluiceTestSupport
import Testing

/// Races between processes, processes killed mid-write, and tampering, against the real binary and store.
@Suite struct ReliabilityTests {
    func head(_ project: CLIProject, _ environment: String) throws -> String {
        try project.sqlite("SELECT IFNULL(head, '') FROM environments WHERE name = '\(environment)'")
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test func twoWritersRaceOneWinsTheOtherExitsFourAndNothingIsLost() throws {
        let project = try CLIProject()
        try project.makeTokens()
        #expect(try project.run(as: "alice", ["ingest", "customers_drop"]).status == 0)
        try project.write(
            "drops/a.csv", "order_id,customer_id,amount,status,ordered_at\n10,1,1.00,new,2026-11-24T10:00:00Z\n")
        try project.write(
            "drops/b.csv", "order_id,customer_id,amount,status,ordered_at\n20,1,2.00,new,2026-11-24T10:00:00Z\n")
        let resume = project.folder.appendingPathComponent("resume")
        let environment = [
            "SLUICE_TOKEN": try #require(project.tokens["alice"]), "SLUICE_TEST_PAUSE_AT": "ref.move",
            "SLUICE_TEST_RESUME_FILE": resume.path,
        ]
        var running: [(Process, URL)] = []
        for name in ["a", "b"] {
            let log = project.folder.appendingPathComponent("\(name).err")
            let (process, _, _) = try project.sluice.start(
                ["ingest", "orders_drop", "--file", "drops/\(name).csv"], environment: environment, stderrFile: log)
            running.append((process, log))
        }
        // Both have read the same head and built their commits; now let them race for the ref.
        for (_, log) in running { try waitFor("paused at ref.move", in: log) }
        _ = FileManager.default.createFile(atPath: resume.path, contents: nil)
        for (process, _) in running { process.waitUntilExit() }
        let statuses = running.map(\.0.terminationStatus).sorted()
        #expect(statuses == [0, 4])
        let loser = try #require(running.first { $0.0.terminationStatus == 4 })
        let message = try String(contentsOf: loser.1, encoding: .utf8)
        #expect(message.contains("moved while you worked") && message.contains("nothing of yours landed"), "\(message)")
        // Both versions are stored; re-running the loser applies it on top.
        #expect(try project.sqlite("SELECT COUNT(*) FROM versions WHERE dataset = 'raw.orders'").hasPrefix("2"))
        let loserFile = loser.1.lastPathComponent == "a.err" ? "drops/a.csv" : "drops/b.csv"
        #expect(try project.run(as: "alice", ["ingest", "orders_drop", "--file", loserFile]).status == 0)
        let log = try project.run(as: "alice", ["log", "--json"])
        #expect(log.stdout.components(separatedBy: "ingest orders_drop").count - 1 == 2)
        #expect(try project.run(["verify"]).status == 0)
    }

    @Test(arguments: ["ingest.staged", "ingest.published", "ref.move"])
    func killedIngestLeavesAVerifiableStoreAndNoDanglingRef(_ point: String) throws {
        let project = try CLIProject()
        try project.makeTokens()
        #expect(try project.run(as: "alice", ["ingest", "customers_drop"]).status == 0)
        let before = try head(project, "dev")
        let log = project.folder.appendingPathComponent("kill.err")
        let (process, _, _) = try project.sluice.start(
            ["ingest", "orders_drop"],
            environment: [
                "SLUICE_TOKEN": try #require(project.tokens["alice"]), "SLUICE_TEST_PAUSE_AT": point,
                "SLUICE_TEST_RESUME_FILE": project.folder.appendingPathComponent("never").path,
            ], stderrFile: log)
        try waitFor("paused at \(point)", in: log)
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
        let verify = try project.run(["verify"])
        #expect(verify.status == 0, "\(verify.stdout)")
        #expect(try head(project, "dev") == before)
        let again = try project.run(as: "alice", ["ingest", "orders_drop"])
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try project.run(["verify"]).status == 0)
        #expect(try project.run(as: "alice", ["cat", "raw.orders"]).stdout.contains("2026-11-24T10:00:00Z"))
    }

    @Test func killsAtRandomMomentsNeverDamageTheStore() throws {
        // A 24 MiB file takes long enough that the kills land mid-copy, mid-flush or mid-commit.
        var rows = ["order_id,customer_id,amount,status,ordered_at"]
        for index in 0..<400_000 { rows.append("\(index),\(index % 97),\(index % 1000).25,paid,2026-11-24T10:00:00Z") }
        let project = try CLIProject(ordersCSV: rows.joined(separator: "\n") + "\n", customerIDs: Array(0..<97))
        try project.makeTokens(["alice"])
        try project.ingestCustomers()
        let token = try #require(project.tokens["alice"])
        var heads = Set<String>()
        for delay in [0.002, 0.01, 0.03, 0.06, 0.1, 0.2] {
            let (process, _, _) = try project.sluice.start(
                ["ingest", "orders_drop"], environment: ["SLUICE_TOKEN": token])
            Thread.sleep(forTimeInterval: delay)
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
            let verify = try project.run(["verify"])
            #expect(verify.status == 0, "after a kill at \(delay)s: \(verify.stdout)")
            heads.insert(try head(project, "dev"))
        }
        // dev is either untouched or holds the whole ingest: never anything in between.
        #expect(heads.count <= 2)
        #expect(try project.run(as: "alice", ["ingest", "orders_drop"]).status == 0)
        #expect(
            try project.run(as: "alice", ["cat", "raw.orders"]).stdout.count == rows.joined(separator: "\n").count + 1)
    }

    @Test(arguments: [
        ("edit", "UPDATE audit SET principal = 'ci' WHERE seq = 2", "BROKEN at event 2"),
        ("delete", "DELETE FROM audit WHERE seq = 2", "BROKEN at event 3"),
        (
            "reorder", "UPDATE audit SET seq = CASE seq WHEN 2 THEN 3 ELSE 2 END WHERE seq IN (2, 3)",
            "BROKEN at event 3"
        ),
        ("truncate", "DELETE FROM audit WHERE seq = (SELECT MAX(seq) FROM audit)", "removed from the end"),
    ])
    func auditTamperingIsDetected(_ kind: String, _ sql: String, _ expected: String) throws {
        let project = try CLIProject()
        try project.makeTokens()
        try project.ingestCustomers()
        #expect(try project.run(as: "alice", ["ingest", "orders_drop"]).status == 0)
        #expect(try project.run(["audit", "verify"]).status == 0)
        _ = try project.sqlite(sql)
        let result = try project.run(["audit", "verify"])
        #expect(result.status == 1, "\(kind)")
        #expect(result.stdout.contains(expected), "\(kind): \(result.stdout)")
    }
}
