import Foundation
import GRDB
import SluiceCore

extension SQLiteMetadataStore {
    public func saveRun(_ run: RunRecord) async throws {
        let content = try CanonicalJSON.encode(run)
        try await writeImmediately { db in
            try db.execute(
                sql: """
                    INSERT INTO runs (id, pipeline, status, content) VALUES (?, ?, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET status = excluded.status, content = excluded.content
                    """,
                arguments: [run.id, run.pipeline, run.status.rawValue, content])
        }
    }

    public func run(_ id: String) async throws -> RunRecord? {
        let blob = try await pool.read { db in
            try Data.fetchOne(db, sql: "SELECT content FROM runs WHERE id = ?", arguments: [id])
        }
        return try blob.map { try CanonicalJSON.decode(RunRecord.self, from: $0) }
    }

    public func runs(pipeline: String?) async throws -> [RunRecord] {
        let blobs = try await pool.read { db in
            try Data.fetchAll(
                db, sql: "SELECT content FROM runs WHERE (?1 IS NULL OR pipeline = ?1) ORDER BY seq DESC",
                arguments: [pipeline])
        }
        return try blobs.map { try CanonicalJSON.decode(RunRecord.self, from: $0) }
    }
}
