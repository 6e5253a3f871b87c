import Foundation
import SluiceTestSupport
import Testing

/// The command line as a user meets it: the demo, exit codes, and denials of every way to change prod.
@Suite struct EndToEndTests {
    @Test func demoShowsTheWholeIdea() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-demo-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let sluice = SluiceBinary(folder: FileManager.default.temporaryDirectory)
        let demo = try sluice.run(["demo", folder.path])
        #expect(demo.status == 0, "\(demo.stderr)")
        #expect(demo.stdout.contains("ci promotes dev → prod"))
        #expect(demo.stdout.contains("access denied: alice may not write prod:raw"))
        #expect(demo.stdout.contains("chain intact"))
        let inProject = SluiceBinary(folder: folder)
        #expect(try inProject.run(["audit", "verify"]).status == 0)
        #expect(try inProject.run(["verify"]).status == 0)
        // prod holds both deliveries less the three quarantined rows; raw.orders is confidential, so an
        // anonymous caller sees the listing but not the rows.
        let listed = try inProject.run(["datasets", "--env", "prod", "--json"])
        #expect(listed.status == 0 && listed.stdout.contains("\"rows\" : 2397"), "\(listed.stdout)")
        #expect(try inProject.run(["cat", "raw.orders", "--env", "prod"]).status == 3)
        let revenue = try inProject.run(["cat", "curated.revenue_by_country", "--env", "prod"])
        #expect(revenue.status == 0 && revenue.stdout.hasPrefix("country,revenue,orders\n"), "\(revenue.stderr)")
        #expect(demo.stdout.contains("went to quarantine"))
        // Running the demo again into the same folder is refused, and --force rebuilds it.
        #expect(try sluice.run(["demo", folder.path]).status == 2)
        #expect(try sluice.run(["demo", folder.path, "--force"]).status == 0)
    }

    @Test func validateExitsTwoWithFileAndLine() throws {
        let project = try CLIProject()
        try project.write("datasets/bad.yaml", "raw.extra:\n  owner: x\n  clasification: internal\n")
        let result = try project.run(["validate"])
        #expect(result.status == 2)
        #expect(result.stdout.contains("datasets/bad.yaml:3:3: unknown key \"clasification\""), "\(result.stdout)")
        let json = try project.run(["validate", "--json"])
        #expect(json.status == 2 && json.stdout.contains("\"valid\" : false"))
    }

    @Test func everyWayToChangeProdIsDeniedButPromotionByCI() throws {
        let project = try CLIProject()
        try project.makeTokens()
        try project.ingestCustomers()
        #expect(try project.run(as: "alice", ["ingest", "orders_drop", "--env", "dev"]).status == 0)
        let attempts: [(String?, [String], String)] = [
            ("alice", ["ingest", "orders_drop", "--env", "prod"], "alice may not write prod:raw"),
            ("alice", ["promote", "--from", "dev", "--to", "prod"], "alice may not promote prod"),
            ("alice", ["env", "create", "prod", "--from", "dev"], "alice may not write prod"),
            ("ci", ["ingest", "orders_drop", "--env", "prod"], "prod is protected; no command writes it directly"),
            ("ci", ["env", "create", "prod", "--from", "dev"], "prod is protected"),
            ("bob", ["promote", "--from", "dev", "--to", "prod"], "bob may not promote prod"),
            ("ops", ["promote", "--from", "dev", "--to", "prod"], "ops may not promote prod"),
            (nil, ["promote", "--from", "dev", "--to", "prod"], "anonymous may not promote prod"),
            ("alice", ["token", "create", "alice"], "alice may not create tokens"),
        ]
        for (principal, arguments, message) in attempts {
            let result = try project.run(as: principal, arguments)
            #expect(result.status == 3, "\(arguments) as \(principal ?? "anonymous"): \(result.stderr)")
            #expect(result.stderr.contains(message), "\(result.stderr)")
        }
        let promoted = try project.run(as: "ci", ["promote", "--from", "dev", "--to", "prod"])
        #expect(promoted.status == 0, "\(promoted.stderr)")
        let audit = try project.run(as: "ops", ["audit", "--json"])
        #expect(audit.stdout.components(separatedBy: "\"denied\"").count - 1 == attempts.count)
        #expect(try project.run(["audit", "verify"]).status == 0)
    }

    @Test func promotionRefusesADirtyTree() throws {
        let project = try CLIProject()
        try project.makeTokens()
        try project.ingestCustomers()
        #expect(try project.run(as: "alice", ["ingest", "orders_drop"]).status == 0)
        try project.write("models/new.sql", "SELECT 1\n")
        let refused = try project.run(as: "ci", ["promote", "--from", "dev", "--to", "prod"])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("uncommitted changes") && refused.stderr.contains("models/new.sql"))
    }

    @Test func readCommandsWork() throws {
        let project = try CLIProject()
        try project.makeTokens()
        try project.ingestCustomers()
        let ingested = try project.run(as: "alice", ["ingest", "orders_drop", "--json"])
        #expect(ingested.status == 0)
        let version = try #require(
            (try JSONSerialization.jsonObject(with: Data(ingested.stdout.utf8)) as? [String: Any])?["version"]
                as? String)
        let listed = try project.run(as: "alice", ["datasets"])
        #expect(listed.stdout.contains("raw.orders") && listed.stdout.contains(String(version.prefix(12))))
        let shown = try project.run(as: "alice", ["datasets", "show", "raw.orders", "--json"])
        #expect(shown.stdout.contains("\"schema\"") && shown.stdout.contains("ordered_at"))
        let byVersion = try project.run(as: "alice", ["cat", "raw.orders@\(version.prefix(8))"])
        #expect(byVersion.status == 0 && byVersion.stdout.hasPrefix("order_id,"))
        #expect(try project.run(as: "alice", ["cat", "raw.orders@ffff"]).status == 2)
        #expect(try project.run(as: "alice", ["log"]).stdout.contains("ingest orders_drop into raw.orders"))
        #expect(try project.run(["env", "list", "--json"]).stdout.contains("\"protected\" : true"))
        #expect(try project.run(["status"]).stdout.contains("audit:"))
        #expect(
            try project.run(as: "alice", ["env", "create", "sandbox/x", "--from", "dev", "--ttl", "3d"]).status == 0)
        #expect(try project.run(as: "alice", ["env", "create", "sandbox/x", "--from", "dev"]).status == 4)
    }

    @Test func hostileAndUnknownNamesGetUsageErrors() throws {
        let project = try CLIProject()
        try project.makeTokens()
        let cases: [[String]] = [
            ["ingest", "nope"],
            ["env", "create", "../../etc", "--from", "dev"],
            ["env", "create", "sandbox/x", "--from", "dev", "--ttl", "soon"],
            ["env", "create", "stray", "--from", "dev"],
            ["cat", "raw.orders'; DROP TABLE versions; --"],
            ["datasets", "--env", "dev\nprod"],
            ["ingest", "orders_drop", "--file", "/does/not/exist.csv"],
        ]
        for arguments in cases {
            let result = try project.run(as: "alice", arguments)
            #expect(result.status == 2, "\(arguments): \(result.status) \(result.stderr)")
            #expect(result.stderr.hasPrefix("error: "), "\(result.stderr)")
        }
        #expect(try project.run(["verify"]).status == 0)
    }

    /// Issue 24 (a bug it names): a read refused because its data would have to be masked (JSON Lines are not
    /// masked as they stream) is audited like every other refusal.
    @Test func aRefusedMaskedReadIsAudited() throws {
        let project = try CLIProject()
        try project.makeTokens()
        try project.edit("sluice.yaml") {
            $0.replacingOccurrences(
                of: "datasets:\n",
                with: """
                    datasets:
                      raw.people:
                        owner: t@example.com
                        classification: internal
                        pii: [email]
                        columns:
                          id: { type: int, required: true }
                          email: { type: string }

                    """
            ).replacingOccurrences(
                of: "sources:\n",
                with: "sources:\n  people_drop: { path: landing/people/*.jsonl, format: jsonl, into: raw.people }\n")
        }
        try project.write("landing/people/p.jsonl", #"{"id": 1, "email": "a@example.com"}"# + "\n")
        try project.commit("people")
        #expect(try project.run(as: "ops", ["apply"]).status == 0)
        #expect(try project.run(as: "alice", ["ingest", "people_drop"]).status == 0)
        let refused = try project.run(as: "alice", ["cat", "raw.people"])
        #expect(refused.status == 3 && refused.stderr.contains("shown only with an unmask grant"), "\(refused.stderr)")
        let audit = try project.run(as: "ops", ["audit", "--action", "read", "--outcome", "denied", "--json"])
        #expect(audit.stdout.contains("dev:raw.people"), "\(audit.stdout)")
    }
}
