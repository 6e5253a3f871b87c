import Foundation
import SluiceCore
import SluiceTestSupport
import Testing

/// Issue 10 items 11 and 12: whatever carries authority is covered by the audit chain, so that editing the
/// tables behind Sluice's back is caught by `sluice audit verify` or `sluice verify` (exit 1, naming it).
@Suite struct TamperTests {
    /// A store with history: ingested, promoted to prod, a pipeline run with logs.
    static func project() throws -> CLIProject {
        let project = try CLIProject()
        try project.makeTokens()
        try project.ingestCustomers()
        #expect(try project.run(as: "alice", ["ingest", "orders_drop"]).status == 0)
        #expect(try project.run(as: "ci", ["promote", "--from", "dev", "--to", "prod"]).status == 0)
        #expect(try project.run(as: "ci", ["run", "daily", "--env", "dev"]).status == 0)
        #expect(try project.run(["audit", "verify"]).status == 0)
        #expect(try project.run(["verify"]).status == 0)
        return project
    }

    @Test(arguments: [
        ("every event and the head record deleted", "DELETE FROM audit; DELETE FROM audit_head;"),
        (
            "prod moved to a commit never promoted",
            "UPDATE environments SET head = (SELECT head FROM environments WHERE name = 'dev') WHERE name = 'prod';"
        ),
        (
            "prod moved back to an older commit",
            "UPDATE environments SET head = (SELECT to_commit FROM ref_moves WHERE environment = 'dev' ORDER BY seq LIMIT 1) WHERE name = 'prod';"
        ),
        ("a token's principal changed", "UPDATE tokens SET principal = 'ci' WHERE principal = 'alice';"),
        ("a revoked token restored", "UPDATE tokens SET revoked_at = NULL;"),
        ("prod's ref history deleted", "DELETE FROM ref_moves WHERE environment = 'prod';"),
        (
            "a failed run recorded as succeeded",
            "UPDATE runs SET content = CAST(replace(CAST(content AS TEXT), '\"status\":\"failed\"', '\"status\":\"succeeded\"') AS BLOB), status = 'succeeded';"
        ),
        (
            "a failed gate flipped to passed",
            "UPDATE check_runs SET passed = 1, content = CAST(replace(CAST(content AS TEXT), '\"passed\":false', '\"passed\":true') AS BLOB);"
        ),
    ])
    func auditVerifyCatches(_ tamper: (String, String)) throws {
        let project = try Self.project()
        if tamper.0 == "a failed run recorded as succeeded" {
            try project.edit("models/clean_orders.sql") { $0 + "\nthis is no sql\n" }
            try project.commit("broken model")
            #expect(try project.run(as: "ci", ["run", "daily", "--env", "dev"]).status == 1)
        }
        if tamper.0 == "a failed gate flipped to passed" {
            try project.write(
                "landing/orders/bad.csv", "order_id,customer_id,amount,status,ordered_at\n5,1,-1,lost,x\n")
            #expect(try project.run(as: "alice", ["ingest", "orders_drop"]).status == 1)
        }
        if tamper.0 == "a revoked token restored" {
            let id = try project.sqlite("SELECT id FROM tokens WHERE principal = 'bob'").trimmingCharacters(
                in: .whitespacesAndNewlines)
            #expect(try project.run(as: "ops", ["token", "revoke", id]).status == 0)
        }
        _ = try project.sqlite(tamper.1)
        let verified = try project.run(["audit", "verify"])
        #expect(verified.status == 1, "\(tamper.0) went unnoticed: \(verified.stdout)")
    }

    /// `status` checks the chain itself (cheap, at a glance); the records the chain vouches for are compared by
    /// `sluice audit verify`, which status points to. An edited run record passes the first and fails the second;
    /// a broken chain shows in both.
    @Test func statusChecksTheChainAndAuditVerifyTheRecords() throws {
        let project = try Self.project()
        _ = try project.sqlite(
            "UPDATE runs SET content = CAST(replace(CAST(content AS TEXT), '\"principal\":\"ci\"', '\"principal\":\"alice\"') AS BLOB);"
        )
        #expect(try project.run(["status"]).stdout.contains("chain intact"))
        #expect(try project.run(["audit", "verify"]).status == 1)
        _ = try project.sqlite("DELETE FROM audit WHERE seq = 2;")
        #expect(try project.run(["status"]).stdout.contains("BROKEN (run sluice audit verify)"))
    }

    @Test func anEditedCommitOrManifestFailsVerifyNamingIt() throws {
        let project = try Self.project()
        _ = try project.sqlite(
            "UPDATE commits SET content = CAST('{}' AS BLOB) WHERE id = (SELECT head FROM environments WHERE name = 'prod');"
        )
        let verify = try project.run(["verify"])
        #expect(verify.status == 1, "\(verify.stderr)")
        #expect(verify.stderr.contains("commit") && verify.stderr.contains("does not match"), "\(verify.stderr)")
    }

    @Test func aMissingRunLogFailsVerify() throws {
        let project = try Self.project()
        let logs = try project.sqlite("SELECT content FROM runs")
        let object = try #require(
            logs.range(of: #""stderr":"[0-9a-f]{64}""#, options: .regularExpression).map {
                String(logs[$0].dropFirst(10).dropLast())
            }
                ?? logs.range(of: #""stdout":"[0-9a-f]{64}""#, options: .regularExpression).map {
                    String(logs[$0].dropFirst(10).dropLast())
                })
        let path = project.folder.appendingPathComponent(".sluice/objects/\(object.prefix(2))/\(object.dropFirst(2))")
        try FileManager.default.removeItem(at: path)
        let verify = try project.run(["verify"])
        #expect(verify.status == 1, "\(verify.stdout)")
        #expect(verify.stdout.contains("run"), "\(verify.stdout)")
    }
}

/// Issue 21 item 2: one broken link must not hide tampering after it, and no stored text can disagree with
/// what its event's hash covers.
@Suite struct AuditChainPastABreakTests {
    /// An event edited early in the chain, then an engineer's token re-pointed to the pipeline principal: the
    /// verifier names both, not only the first.
    @Test func aBrokenLinkDoesNotHideLaterTampering() throws {
        let project = try TamperTests.project()
        _ = try project.sqlite("UPDATE audit SET target = 'nothing happened' WHERE seq = 2;")
        _ = try project.sqlite("UPDATE tokens SET principal = 'ci' WHERE principal = 'alice';")
        let verify = try project.run(["audit", "verify"])
        #expect(verify.status == 1)
        #expect(verify.stdout.contains("event 2 was changed"), "\(verify.stdout)")
        #expect(verify.stdout.contains("belongs to ci in the store, but was created for alice"), "\(verify.stdout)")
        let json = try project.run(["audit", "verify", "--json"])
        let result = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect((result["problems"] as? [String])?.count ?? 0 >= 2, "\(json.stdout)")
    }
}

/// Issue 21 item 10: the operations that rely on a record that grants or deletes check it against the audit
/// chain before acting, so an edit of `.sluice/` cannot make an attacker's secret act as ci, nor make a routine
/// collection delete what prod holds.
@Suite struct AuthorityRecordTests {
    @Test func aSwappedTokenHashActsAsNobody() throws {
        let project = try TamperTests.project()
        let secret = "sluice_an-attackers-own-secret"
        let hash = TokenSecret.hash(secret)
        for edit in [
            "UPDATE tokens SET secret_hash = '\(hash)' WHERE principal = 'ci';",
            "UPDATE tokens SET id = '\(hash.prefix(12))' WHERE principal = 'ci';",
        ] {
            _ = try project.sqlite(edit)
            let promote = try project.sluice.run(
                ["promote", "--from", "dev", "--to", "prod"], environment: ["SLUICE_TOKEN": secret])
            #expect(promote.status != 0, "\(edit)")
            #expect(promote.stderr.contains("changed outside Sluice"), "\(promote.stderr)")
        }
        #expect(try project.run(as: "alice", ["env", "list"]).status == 0, "untouched tokens still work")
        let verify = try project.run(["audit", "verify"])
        #expect(verify.status == 1 && verify.stdout.contains("never created"), "\(verify.stdout)")
    }

    /// Data that fails the committed contract waits in dev; a forged passing gate row (a copy of the refusal,
    /// flipped) must not carry it into prod.
    @Test func aForgedGateRowDoesNotPromote() throws {
        let project = try ProvenanceTests.devDataFailingTheCommittedContract()
        #expect(try project.run(as: "ci", ["promote", "--from", "dev", "--to", "prod"]).status == 1)
        let datasets = try project.run(as: "ci", ["datasets", "--env", "dev", "--json"]).stdout
        let items = try #require(try JSONSerialization.jsonObject(with: Data(datasets.utf8)) as? [[String: Any]])
        let version = try #require(items.first { $0["name"] as? String == "raw.orders" }?["version"] as? String)
        _ = try project.sqlite(
            """
            INSERT INTO check_runs (id, dataset, environment, version, passed, content, at)
            SELECT 'forged', dataset, environment, '\(version)', 1,
                CAST(json_set(CAST(content AS TEXT), '$.id', 'forged', '$.passed', json('true'), '$.version', '\(version)')
                    AS BLOB), at
            FROM check_runs WHERE dataset = 'raw.orders' ORDER BY seq DESC LIMIT 1;
            """)
        let prodBefore = try project.sqlite("SELECT head FROM environments WHERE name = 'prod'")
        let promote = try project.run(as: "ci", ["promote", "--from", "dev", "--to", "prod"])
        #expect(promote.status == 1, "\(promote.stdout)")
        #expect(
            promote.stderr.contains("gate result forged") && promote.stderr.contains("outside Sluice"),
            "\(promote.stderr)")
        #expect(try project.sqlite("SELECT head FROM environments WHERE name = 'prod'") == prodBefore)
        let verify = try project.run(["audit", "verify"])
        #expect(verify.status == 1 && verify.stdout.contains("gate result forged"), "\(verify.stdout)")
    }

    @Test func anInsertedCollectedRowStopsTheCollectionBeforeItDeletesAnything() throws {
        let project = try TamperTests.project()
        let datasets = try project.run(as: "ci", ["datasets", "--env", "prod", "--json"]).stdout
        let items = try #require(try JSONSerialization.jsonObject(with: Data(datasets.utf8)) as? [[String: Any]])
        let version = try #require(items.first { $0["name"] as? String == "raw.orders" }?["version"] as? String)
        _ = try project.sqlite("INSERT INTO collected_versions (version, at) VALUES ('\(version)', 0);")
        let gc = try project.run(as: "ci", ["gc", "--grace", "0s"])
        #expect(gc.status == 1, "\(gc.stdout)\(gc.stderr)")
        #expect(gc.stderr.contains("no audited collection let it go"), "\(gc.stderr)")
        #expect(try project.run(["verify"]).status == 0, "gc deleted objects of a version prod holds")
        let verify = try project.run(["audit", "verify"])
        #expect(verify.status == 1 && verify.stdout.contains("recorded as let go"), "\(verify.stdout)")
    }
}
