import Foundation
import GRDB
import SluiceCore

extension SQLiteMetadataStore {
    public func enqueue(_ messages: [OutboxMessage]) async throws {
        try await writeImmediately { db in try Self.insert(messages, db) }
    }

    static func insert(_ messages: [OutboxMessage], _ db: Database) throws {
        for message in messages {
            if let key = message.replaces {
                // Only messages nobody is sending now (never tried, or due again) are replaced.
                try db.execute(
                    sql: "DELETE FROM outbox WHERE replaces = ? AND destination = ? AND attempts = 0",
                    arguments: [key, message.destination])
            }
            try db.execute(
                sql: """
                    INSERT INTO outbox (channel, destination, body, created_at, attempts, next_attempt_at, replaces)
                    VALUES (?, ?, ?, ?, 0, ?, ?)
                    """,
                arguments: [
                    message.channel, message.destination, message.body, message.createdAt.milliseconds,
                    message.nextAttemptAt.milliseconds, message.replaces,
                ])
        }
    }

    public func claimOutbox(now: Timestamp, lease: TimeSpan, limit: Int) async throws -> [OutboxMessage] {
        try await writeImmediately { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM outbox WHERE id IN (SELECT min(id) FROM outbox GROUP BY destination)
                        AND next_attempt_at <= ? ORDER BY id LIMIT ?
                    """, arguments: [now.milliseconds, limit])
            let messages = rows.map(Self.message)
            for message in messages {
                try db.execute(
                    sql: "UPDATE outbox SET next_attempt_at = ? WHERE id = ?",
                    arguments: [now.adding(lease).milliseconds, message.id])
            }
            return messages
        }
    }

    public func settleOutbox(_ id: Int64, _ settlement: OutboxSettlement) async throws {
        try await writeImmediately { db in
            switch settlement {
            case .delivered, .dropped:
                try db.execute(sql: "DELETE FROM outbox WHERE id = ?", arguments: [id])
            case .retry(let at, let error):
                try db.execute(
                    sql: "UPDATE outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ? WHERE id = ?",
                    arguments: [at.milliseconds, error, id])
            }
        }
    }

    public func pendingOutbox() async throws -> [OutboxMessage] {
        try await pool.read { db in try Row.fetchAll(db, sql: "SELECT * FROM outbox ORDER BY id").map(Self.message) }
    }

    static func message(_ row: Row) -> OutboxMessage {
        var message = OutboxMessage(
            channel: row["channel"], destination: row["destination"], body: row["body"],
            createdAt: Timestamp(milliseconds: row["created_at"]), replaces: row["replaces"])
        message.id = row["id"]
        message.attempts = row["attempts"]
        message.nextAttemptAt = Timestamp(milliseconds: row["next_attempt_at"])
        message.lastError = row["last_error"]
        return message
    }

    public func firingAlerts() async throws -> [AlertRecord] {
        let blobs = try await pool.read { db in
            try Data.fetchAll(db, sql: "SELECT content FROM alerts ORDER BY starts_at, fingerprint")
        }
        return try blobs.map { try CanonicalJSON.decode(AlertRecord.self, from: $0) }
    }

    public func applyAlertTransitions(_ transitions: [AlertTransition]) async throws -> [AlertTransition] {
        let encoded = try transitions.map { ($0, try CanonicalJSON.encode($0.alert)) }
        return try await writeImmediately { db in
            var applied: [AlertTransition] = []
            for (transition, content) in encoded {
                let alert = transition.alert
                switch transition.kind {
                case .fired:
                    try db.execute(
                        sql: "INSERT OR IGNORE INTO alerts (fingerprint, starts_at, content) VALUES (?, ?, ?)",
                        arguments: [alert.fingerprint, alert.startsAt.milliseconds, content])
                case .resolved:
                    try db.execute(sql: "DELETE FROM alerts WHERE fingerprint = ?", arguments: [alert.fingerprint])
                case .updated:
                    try db.execute(
                        sql: "UPDATE alerts SET content = ? WHERE fingerprint = ?",
                        arguments: [content, alert.fingerprint])
                }
                guard db.changesCount > 0 else { continue }
                try Self.insert(transition.messages, db)
                applied.append(transition)
            }
            return applied
        }
    }
}
