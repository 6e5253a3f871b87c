import Foundation
import GRDB
import SluiceCore

extension SQLiteMetadataStore {
    public func saveCheckRun(_ run: CheckRun, audit: AuditDraft) async throws {
        let content = try CanonicalJSON.encode(run)
        let details = try CanonicalJSON.encode(audit.details)
        try await writeImmediately { db in
            try db.execute(
                sql:
                    "INSERT INTO check_runs (id, dataset, environment, version, passed, content, at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                arguments: [
                    run.id, run.dataset.description, run.environment, run.version?.hex, run.passed, content,
                    run.at.milliseconds,
                ])
            _ = try Self.append(audit, details: details, in: db)
        }
    }

    public func latestCheckRuns(failedOnly: Bool) async throws -> [CheckRun] {
        let blobs = try await pool.read { db in
            try Data.fetchAll(
                db,
                sql: """
                    SELECT content FROM check_runs
                    WHERE seq IN (SELECT max(seq) FROM check_runs GROUP BY dataset, environment)
                        AND (?1 = 0 OR passed = 0)
                    ORDER BY seq DESC
                    """, arguments: [failedOnly])
        }
        return try blobs.map { try CanonicalJSON.decode(CheckRun.self, from: $0) }
    }

    public func checkRuns(dataset: DatasetName?, environment: String?) async throws -> [CheckRun] {
        let blobs = try await pool.read { db in
            try Data.fetchAll(
                db,
                sql: """
                    SELECT content FROM check_runs
                    WHERE (?1 IS NULL OR dataset = ?1) AND (?2 IS NULL OR environment = ?2) ORDER BY seq DESC
                    """,
                arguments: [dataset?.description, environment])
        }
        return try blobs.map { try CanonicalJSON.decode(CheckRun.self, from: $0) }
    }

    public func checkRuns(
        dataset: DatasetName?, environment: String?, page: PageRequest
    ) async throws
        -> Page<CheckRun>
    {
        try await self.page(
            page,
            sql: """
                SELECT seq, content FROM check_runs
                WHERE seq < ?1 AND (?2 IS NULL OR dataset = ?2) AND (?3 IS NULL OR environment = ?3)
                ORDER BY seq DESC LIMIT ?4
                """, arguments: [dataset?.description, environment]
        ) { row in try CanonicalJSON.decode(CheckRun.self, from: row["content"] as Data) }
    }

    public func checkRun(forVersion version: ObjectID) async throws -> CheckRun? {
        let blob = try await pool.read { db in
            try Data.fetchOne(
                db, sql: "SELECT content FROM check_runs WHERE version = ? ORDER BY seq DESC LIMIT 1",
                arguments: [version.hex])
        }
        return try blob.map { try CanonicalJSON.decode(CheckRun.self, from: $0) }
    }

    public func saveQuarantine(_ batch: QuarantineBatch) async throws {
        let content = try CanonicalJSON.encode(batch)
        try await writeImmediately { db in
            try db.execute(
                sql: "INSERT INTO quarantine (id, dataset, content, at) VALUES (?, ?, ?, ?)",
                arguments: [batch.id, batch.dataset.description, content, batch.at.milliseconds])
        }
    }

    public func quarantines() async throws -> [QuarantineBatch] {
        let blobs = try await pool.read { db in
            try Data.fetchAll(db, sql: "SELECT content FROM quarantine ORDER BY seq DESC")
        }
        return try blobs.map { try CanonicalJSON.decode(QuarantineBatch.self, from: $0) }
    }

    public func deleteQuarantine(_ id: String) async throws -> Bool {
        try await writeImmediately { db in
            try db.execute(sql: "DELETE FROM quarantine WHERE id = ?", arguments: [id])
            return db.changesCount > 0
        }
    }
}
