import GRDB
import SluiceCore

extension SQLiteMetadataStore {
    public func markWritten(_ ids: [ObjectID], at time: Timestamp) async throws -> Set<ObjectID> {
        guard !ids.isEmpty else { return [] }
        return try await writeImmediately { db in
            // One cached upsert per object: it marks unless a live lease holds the object.
            let upsert = try db.cachedStatement(
                sql: """
                    INSERT INTO object_marks (id, written_at) VALUES (?, ?)
                    ON CONFLICT (id) DO UPDATE SET written_at = excluded.written_at, deleting_until = NULL
                    WHERE coalesce(object_marks.deleting_until, 0) <= excluded.written_at
                    """)
            var busy = Set<ObjectID>()
            for id in ids {
                try upsert.execute(arguments: [id.hex, time.milliseconds])
                if db.changesCount == 0 { busy.insert(id) }
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
            let lease = try db.cachedStatement(
                sql: """
                    UPDATE object_marks SET deleting_until = ?
                    WHERE id = ? AND written_at < ? AND coalesce(deleting_until, 0) <= ?
                    """)
            var leased = Set<ObjectID>()
            for id in ids {
                try lease.execute(arguments: [until.milliseconds, id.hex, cutoff.milliseconds, now.milliseconds])
                if db.changesCount > 0 { leased.insert(id) }
            }
            return leased
        }
    }

    public func endDeletion(deleted: [ObjectID], kept: [ObjectID]) async throws {
        guard !deleted.isEmpty || !kept.isEmpty else { return }
        try await writeImmediately { db in
            let delete = try db.cachedStatement(sql: "DELETE FROM object_marks WHERE id = ?")
            for id in deleted { try delete.execute(arguments: [id.hex]) }
            let release = try db.cachedStatement(sql: "UPDATE object_marks SET deleting_until = NULL WHERE id = ?")
            for id in kept { try release.execute(arguments: [id.hex]) }
        }
    }
}
