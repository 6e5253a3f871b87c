import Foundation
import SluiceCore
import SluiceTestSupport
import Testing

/// Issue 21 item 10: the tamper table. Every kind of edit an attacker with write access to `.sluice/` can
/// make to the metadata database, each applied to the same store with history; `sluice audit verify` or
/// `sluice verify` must name every edit of a record that grants, vouches or deletes. The table (and the
/// detected / total count) is printed for the issue's closing note; edits of what carries no authority are
/// listed with their outcome too.
@Suite struct TamperTableTests {
    struct Tamper: Sendable, CustomStringConvertible {
        var name: String
        /// Whether the record grants, vouches or deletes (then it must be detected).
        var authority: Bool
        var sql: String
        var description: String { name }
    }

    static let forgedHash = TokenSecret.hash("sluice_forged")

    static let tampers: [Tamper] = [
        Tamper(
            name: "audit: an event's target edited", authority: true, sql: "UPDATE audit SET target = 'x' WHERE seq = 3"
        ),
        Tamper(
            name: "audit: an event's principal edited", authority: true,
            sql: "UPDATE audit SET principal = principal || 'x' WHERE seq = 4"),
        Tamper(
            name: "audit: an event's details emptied", authority: true,
            sql: "UPDATE audit SET details = '{}' WHERE seq = 5"),
        Tamper(
            name: "audit: an event's outcome flipped", authority: true,
            sql:
                "UPDATE audit SET outcome = CASE outcome WHEN 'succeeded' THEN 'failed' ELSE 'succeeded' END WHERE seq = 6"
        ),
        Tamper(name: "audit: an event in the middle deleted", authority: true, sql: "DELETE FROM audit WHERE seq = 3"),
        Tamper(
            name: "audit: the last event deleted", authority: true,
            sql: "DELETE FROM audit WHERE seq = (SELECT max(seq) FROM audit)"),
        // No record in the store can tell a cut-off tail from a shorter history when the head record is wound
        // back with it (the newest event here, a refused ingest, vouches for nothing the tables hold); a copy
        // of the chain kept outside `.sluice/` (a backup, a shipped log) is the only witness for it.
        Tamper(
            name: "audit: the newest event cut off with the head wound back (needs a witness outside the store)",
            authority: false,
            sql: """
                DELETE FROM audit WHERE seq = (SELECT max(seq) FROM audit);
                UPDATE audit_head SET seq = seq - 1, hash = (SELECT hash FROM audit ORDER BY seq DESC LIMIT 1);
                """),
        Tamper(
            name: "audit: every event and the head deleted", authority: true,
            sql: "DELETE FROM audit; DELETE FROM audit_head;"),
        Tamper(name: "audit: the head's count changed", authority: true, sql: "UPDATE audit_head SET seq = seq + 1"),
        Tamper(
            name: "audit: two events swapped", authority: true,
            sql: "UPDATE audit SET seq = CASE seq WHEN 2 THEN 3 ELSE 2 END WHERE seq IN (2, 3)"),
        Tamper(
            name: "versions: a manifest replaced by another version's", authority: true,
            sql:
                "UPDATE versions SET manifest = (SELECT manifest FROM versions WHERE dataset = 'raw.customers' LIMIT 1) WHERE dataset = 'raw.orders'"
        ),
        Tamper(
            name: "versions: a version deleted", authority: true,
            sql: "DELETE FROM versions WHERE dataset = 'raw.customers'"
        ),
        Tamper(name: "versions: a row count edited", authority: false, sql: "UPDATE versions SET rows = rows + 1000"),
        Tamper(name: "versions: an author edited", authority: false, sql: "UPDATE versions SET created_by = 'mallory'"),
        Tamper(
            name: "commits: prod's head commit edited", authority: true,
            sql:
                "UPDATE commits SET content = CAST('{}' AS BLOB) WHERE id = (SELECT head FROM environments WHERE name = 'prod')"
        ),
        Tamper(
            name: "commits: prod's head commit deleted", authority: true,
            sql: "DELETE FROM commits WHERE id = (SELECT head FROM environments WHERE name = 'prod')"),
        Tamper(
            name: "environments: prod moved to a commit never promoted", authority: true,
            sql:
                "UPDATE environments SET head = (SELECT head FROM environments WHERE name = 'dev') WHERE name = 'prod'"),
        Tamper(
            name: "environments: prod moved back", authority: true,
            sql:
                "UPDATE environments SET head = (SELECT to_commit FROM ref_moves WHERE environment = 'dev' ORDER BY seq LIMIT 1) WHERE name = 'prod'"
        ),
        Tamper(
            name: "environments: prod deleted", authority: true, sql: "DELETE FROM environments WHERE name = 'prod'"),
        Tamper(
            name: "environments: a sandbox deleted", authority: true,
            sql: "DELETE FROM environments WHERE name = 'sandbox/alice'"),
        Tamper(
            name: "environments: one added at prod's head", authority: true,
            sql: """
                INSERT INTO environments (name, head, created_at, created_by, base, ttl_seconds, last_used_at)
                SELECT 'sandbox/mallory', head, created_at, 'mallory', 'prod', NULL, last_used_at
                FROM environments WHERE name = 'prod'
                """),
        Tamper(
            name: "environments: a sandbox's lifecycle extended", authority: true,
            sql: "UPDATE environments SET ttl_seconds = 31536000 WHERE name = 'sandbox/alice'"),
        Tamper(
            name: "environments: a sandbox's lifecycle removed", authority: true,
            sql: "UPDATE environments SET ttl_seconds = NULL WHERE name = 'sandbox/alice'"),
        Tamper(
            name: "environments: last use moved on (every read touches it, unaudited by design)", authority: false,
            sql: "UPDATE environments SET last_used_at = last_used_at + 86400000"),
        Tamper(
            name: "environments: a creator edited", authority: false,
            sql: "UPDATE environments SET created_by = 'mallory'"),
        Tamper(
            name: "ref_moves: prod's history deleted", authority: true,
            sql: "DELETE FROM ref_moves WHERE environment = 'prod'"),
        Tamper(name: "ref_moves: an actor edited", authority: false, sql: "UPDATE ref_moves SET actor = 'mallory'"),
        Tamper(
            name: "tokens: alice's token given to ci", authority: true,
            sql: "UPDATE tokens SET principal = 'ci' WHERE principal = 'alice'"),
        Tamper(name: "tokens: a revoked token restored", authority: true, sql: "UPDATE tokens SET revoked_at = NULL"),
        Tamper(
            name: "tokens: ci's secret hash swapped", authority: true,
            sql: "UPDATE tokens SET secret_hash = '\(forgedHash)' WHERE principal = 'ci'"),
        Tamper(
            name: "tokens: ci's token id changed", authority: true,
            sql: "UPDATE tokens SET id = '\(forgedHash.prefix(12))' WHERE principal = 'ci'"),
        Tamper(
            name: "tokens: a token added", authority: true,
            sql:
                "INSERT INTO tokens (id, principal, secret_hash, created_at, created_by) VALUES ('\(forgedHash.prefix(12))', 'ci', '\(forgedHash)', 0, 'ops')"
        ),
        Tamper(name: "tokens: a creator edited", authority: false, sql: "UPDATE tokens SET created_by = 'mallory'"),
        Tamper(
            name: "check_runs: a failed gate flipped to passed", authority: true,
            sql:
                "UPDATE check_runs SET passed = 1, content = CAST(replace(CAST(content AS TEXT), '\"passed\":false', '\"passed\":true') AS BLOB) WHERE passed = 0"
        ),
        Tamper(
            name: "check_runs: a passing result forged for a version", authority: true,
            sql: """
                INSERT INTO check_runs (id, dataset, environment, version, passed, content, at)
                SELECT 'forged', dataset, environment, version, 1,
                    CAST(json_set(CAST(content AS TEXT), '$.id', 'forged') AS BLOB), at
                FROM check_runs WHERE version IS NOT NULL ORDER BY seq DESC LIMIT 1
                """),
        Tamper(
            name: "check_runs: a failed gate result deleted", authority: true,
            sql: "DELETE FROM check_runs WHERE passed = 0"),
        Tamper(
            name: "check_runs: a report's counts edited", authority: true,
            sql:
                "UPDATE check_runs SET content = CAST(json_set(CAST(content AS TEXT), '$.report.invalidRows', 0) AS BLOB) WHERE passed = 0"
        ),
        Tamper(name: "quarantine: a held-back batch deleted", authority: true, sql: "DELETE FROM quarantine"),
        Tamper(
            name: "quarantine: a batch's content edited", authority: false,
            sql: "UPDATE quarantine SET content = CAST(json_set(CAST(content AS TEXT), '$.reason', 'fine') AS BLOB)"),
        Tamper(
            name: "runs: a failed run recorded as succeeded", authority: true,
            sql:
                "UPDATE runs SET content = CAST(replace(CAST(content AS TEXT), '\"status\":\"succeeded\"', '\"status\":\"failed\"') AS BLOB), status = 'failed'"
        ),
        Tamper(
            name: "runs: who ran it edited", authority: true,
            sql:
                "UPDATE runs SET content = CAST(replace(CAST(content AS TEXT), '\"principal\":\"ci\"', '\"principal\":\"alice\"') AS BLOB)"
        ),
        Tamper(
            name: "runs: a step's cache key edited", authority: true,
            sql:
                "UPDATE runs SET content = CAST(replace(CAST(content AS TEXT), '\"cacheKey\":\"', '\"cacheKey\":\"0') AS BLOB)"
        ),
        Tamper(name: "runs: a record deleted", authority: true, sql: "DELETE FROM runs"),
        Tamper(
            name: "runs: an ended run marked running again", authority: true,
            sql:
                "UPDATE runs SET status = 'running', content = CAST(json_set(CAST(content AS TEXT), '$.status', 'running') AS BLOB)"
        ),
        Tamper(
            name: "lineage: a cache key edited", authority: true,
            sql: "UPDATE lineage SET content = CAST(json_set(CAST(content AS TEXT), '$.cacheKey', 'forged') AS BLOB)"),
        Tamper(
            name: "lineage: a record moved to another run", authority: true,
            sql: "UPDATE lineage SET content = CAST(json_set(CAST(content AS TEXT), '$.runID', 'r0') AS BLOB)"),
        Tamper(name: "lineage: every record deleted", authority: true, sql: "DELETE FROM lineage"),
        Tamper(name: "lineage_inputs: downstream links deleted", authority: false, sql: "DELETE FROM lineage_inputs"),
        Tamper(
            name: "collected_versions: prod's raw data recorded as let go", authority: true,
            sql: "INSERT INTO collected_versions (version, at) SELECT id, 0 FROM versions WHERE dataset = 'raw.orders'"),
        Tamper(
            name: "landings: a file claimed as ingested", authority: false,
            sql:
                "INSERT INTO landings (source, path, size, modified, claimed_at, claimed_by) VALUES ('orders_drop', 'next.csv', 1, 1, 1, 'mallory')"
        ),
    ]

    /// A store with every kind of record: tokens (one revoked), dev and prod, a sandbox with its own
    /// lifecycle, a pipeline run with lineage, a failed gate with a quarantined batch.
    static func project() throws -> CLIProject {
        let project = try TamperTests.project()
        #expect(
            try project.run(as: "alice", ["env", "create", "sandbox/alice", "--from", "dev", "--ttl", "3d"]).status == 0
        )
        let bob = try project.sqlite("SELECT id FROM tokens WHERE principal = 'bob'")
        #expect(
            try project.run(as: "ops", ["token", "revoke", bob.trimmingCharacters(in: .whitespacesAndNewlines)]).status
                == 0)
        try project.write("landing/orders/bad.csv", "order_id,customer_id,amount,status,ordered_at\n5,1,-1,lost,x\n")
        #expect(try project.run(as: "alice", ["ingest", "orders_drop"]).status == 1)
        #expect(try project.run(["audit", "verify"]).status == 0)
        #expect(try project.run(["verify"]).status == 0)
        return project
    }

    @Test func everyEditOfARecordWithAuthorityIsDetected() throws {
        let project = try Self.project()
        let store = project.folder.appendingPathComponent(".sluice")
        let pristine = project.folder.appendingPathComponent("pristine")
        try FileManager.default.copyItem(at: store, to: pristine)
        var rows: [String] = []
        var detected = 0
        for tamper in Self.tampers {
            try FileManager.default.removeItem(at: store)
            try FileManager.default.copyItem(at: pristine, to: store)
            let changes = try project.sqlite(tamper.sql + ";\nSELECT total_changes();")
            #expect(Int(changes.trimmingCharacters(in: .whitespacesAndNewlines)) ?? 0 > 0, "\(tamper) changed nothing")
            let audit = try project.run(["audit", "verify"]).status != 0
            let store = try project.run(["verify"]).status != 0
            let caught = audit || store
            if caught { detected += 1 }
            if tamper.authority { #expect(caught, "\(tamper) went unnoticed") }
            let by = [audit ? "audit verify" : nil, store ? "verify" : nil].compactMap { $0 }.joined(separator: ", ")
            rows.append(
                "| \(tamper.name) | \(tamper.authority ? "yes" : "no") | \(caught ? "detected (\(by))" : "not detected") |"
            )
        }
        print(
            (["| Tamper class | Carries authority | Outcome |", "|---|---|---|"] + rows).joined(separator: "\n")
                + "\nTamper classes detected: \(detected) / \(Self.tampers.count) (authority: "
                + "\(Self.tampers.filter(\.authority).count) / \(Self.tampers.filter(\.authority).count) required)")
    }
}
