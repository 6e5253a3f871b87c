import GRDB
import SluiceCore

extension SQLiteMetadataStore {
    public func markWritten(_ ids: [ObjectID], at time: Timestamp) async throws -> Set<ObjectID> {
        guard !ids.isEmpty else { return [] }
        return try await writeImmediately { db in
            var busy = Set<ObjectID>()
            for id in ids {
                let until = try Int64.fetchOne(
                    db, sql: "SELECT deleting_until FROM object_marks WHERE id = ?", arguments: [id.hex])
                if let until, until > time.milliseconds {
                    busy.insert(id)
                    continue
                }
                try db.execute(
                    sql: "INSERT OR REPLACE INTO object_marks (id, written_at, deleting_until) VALUES (?, ?, NULL)",
                    arguments: [id.hex, time.milliseconds])
            }
            return busy
        }
    }

    public func objectMarks() async throws -> [ObjectID: Timestamp] {
        try await pool.read { db in
            var marks: [ObjectID: Timestamp] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT id, written_at FROM object_marks") {
                guard let id = ObjectID(hex: row["id"]) else { continue }
                marks[id] = Timestamp(milliseconds: row["written_at"])
            }
            return marks
        }
    }

    public func leaseForDeletion(
        _ ids: [ObjectID], writtenBefore cutoff: Timestamp, now: Timestamp, until: Timestamp
    )
        async throws -> Set<ObjectID>
    {
        guard !ids.isEmpty else { return [] }
        return try await writeImmediately { db in
            var leased = Set<ObjectID>()
            for id in ids {
                try db.execute(
                    sql: """
                        UPDATE object_marks SET deleting_until = ?
                        WHERE id = ? AND written_at < ? AND coalesce(deleting_until, 0) <= ?
                        """,
                    arguments: [until.milliseconds, id.hex, cutoff.milliseconds, now.milliseconds])
                if db.changesCount > 0 { leased.insert(id) }
            }
            return leased
        }
    }

    public func endDeletion(deleted: [ObjectID], kept: [ObjectID]) async throws {
        guard !deleted.isEmpty || !kept.isEmpty else { return }
        try await writeImmediately { db in
            for id in deleted {
                try db.execute(sql: "DELETE FROM object_marks WHERE id = ?", arguments: [id.hex])
            }
            for id in kept {
                try db.execute(sql: "UPDATE object_marks SET deleting_until = NULL WHERE id = ?", arguments: [id.hex])
            }
        }
    }
}
