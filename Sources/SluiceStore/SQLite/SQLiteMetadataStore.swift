import Foundation
import GRDB
import SluiceCore

/// Metadata in one SQLite database (WAL mode) through GRDB. Several processes may use it at once:
/// writers take an immediate transaction and wait for each other; refs move by compare-and-swap.
public final class SQLiteMetadataStore: MetadataStore {
    let pool: any DatabaseWriter
    /// Set when the disk is full and the database could only be opened for reading.
    let readOnlyBecause: String?

    /// Opens (creating and migrating if needed) the database at `path`. When the disk is full, so that
    /// SQLite cannot even create its shared-memory file, it opens the database read-only as it lies on disk:
    /// reads and verification keep working and every write fails with `StorageFull`.
    public init(path: String) throws {
        var configuration = Configuration()
        configuration.busyMode = .timeout(30)
        configuration.label = "sluice.metadata"
        do {
            let pool = try DatabasePool(path: path, configuration: configuration)
            if try !pool.read({ try Self.migrator.hasCompletedMigrations($0) }) {
                // Processes opening a new store at once take turns, so each migration runs once.
                try Self.exclusively(lockFile: path + ".migrating") { try Self.migrator.migrate(pool) }
            }
            self.pool = pool
            readOnlyBecause = nil
        } catch let error as DatabaseError where Self.isOutOfSpace(error, path: path) {
            configuration.readonly = true
            do {
                pool = try DatabaseQueue(path: "file:\(path)?immutable=1", configuration: configuration)
            } catch let error as DatabaseError {
                throw StorageFull("opening the metadata database \(path) (\(error.message ?? "\(error.resultCode)"))")
            }
            readOnlyBecause = "the disk is full"
        } catch let error as DatabaseError {
            throw InternalError("cannot open the metadata database \(path): \(error.message ?? "\(error.resultCode)")")
        }
    }

    /// Runs `body` holding an exclusive `flock` on `lockFile` (made private to the store's user if missing).
    static func exclusively(lockFile: String, _ body: () throws -> Void) throws {
        let descriptor = open(lockFile, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw InternalError(
                "cannot open \(lockFile) to migrate the metadata database: \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        while flock(descriptor, LOCK_EX) != 0 {
            guard errno == EINTR else {
                throw InternalError(
                    "cannot lock \(lockFile) to migrate the metadata database: \(String(cString: strerror(errno)))")
            }
        }
        defer { flock(descriptor, LOCK_UN) }
        try body()
    }

    /// Whether a failure came from a full disk: SQLite's own code, or an I/O error with no room left.
    static func isOutOfSpace(_ error: DatabaseError, path: String) -> Bool {
        if error.resultCode == .SQLITE_FULL { return true }
        guard error.resultCode == .SQLITE_IOERR || error.resultCode == .SQLITE_CANTOPEN else { return false }
        var info = statvfs()
        let folder = (path as NSString).deletingLastPathComponent
        return statvfs(folder.isEmpty ? "." : folder, &info) == 0 && info.f_bavail == 0
    }

    /// Runs `body` in an IMMEDIATE transaction so concurrent writers queue instead of failing halfway.
    func writeImmediately<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        if let readOnlyBecause { throw StorageFull("writing the metadata (\(readOnlyBecause))") }
        do {
            return try await pool.writeWithoutTransaction { db in
                var result: T?
                try db.inTransaction(.immediate) {
                    result = try body(db)
                    return .commit
                }
                return result!
            }
        } catch let error as DatabaseError where Self.isOutOfSpace(error, path: pool.path) {
            throw StorageFull("writing the metadata")
        }
    }

    // MARK: Versions

    public func saveVersion(_ version: DatasetVersion) async throws {
        let manifest = try CanonicalJSON.encode(version.manifest)
        try await writeImmediately { db in
            try db.execute(
                sql: """
                    INSERT OR IGNORE INTO versions (id, dataset, manifest, rows, bytes, created_at, created_by)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    version.id.hex, version.dataset.description, manifest, version.manifest.rows,
                    version.manifest.bytes,
                    version.createdAt.milliseconds, version.createdBy,
                ])
            try Self.insertObjects(of: version, db)
        }
    }

    /// Records the objects `version` holds (`version_objects`), once.
    static func insertObjects(of version: DatasetVersion, _ db: Database) throws {
        var seen = Set<ObjectID>()
        for chunk in version.manifest.files.flatMap(\.chunks) where seen.insert(chunk.object).inserted {
            try db.execute(
                sql: "INSERT OR IGNORE INTO version_objects (version, zone, object, bytes) VALUES (?, ?, ?, ?)",
                arguments: [version.id.hex, version.dataset.zone, chunk.object.hex, chunk.bytes])
        }
    }

    public func versionStatistics() async throws -> [String: VersionStatistics] {
        try await pool.read { db in
            var statistics: [String: VersionStatistics] = [:]
            let zone = "substr(dataset, 1, instr(dataset, '.') - 1)"
            for row in try Row.fetchAll(
                db, sql: "SELECT \(zone) AS zone, count(*) AS n, sum(bytes) AS b FROM versions GROUP BY \(zone)")
            {
                statistics[row["zone"], default: VersionStatistics()].versions = row["n"]
                statistics[row["zone"], default: VersionStatistics()].versionBytes = row["b"]
            }
            let objects = """
                SELECT zone, count(*) AS n, sum(bytes) AS b
                FROM (SELECT zone, object, max(bytes) AS bytes FROM version_objects GROUP BY zone, object)
                GROUP BY zone
                """
            for row in try Row.fetchAll(db, sql: objects) {
                statistics[row["zone"], default: VersionStatistics()].objects = row["n"]
                statistics[row["zone"], default: VersionStatistics()].objectBytes = row["b"]
            }
            return statistics
        }
    }

    public func version(_ id: ObjectID) async throws -> DatasetVersion? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM versions WHERE id = ?", arguments: [id.hex]).map(
                Self.version(from:))
        }
    }

    public func versions(_ ids: [ObjectID]) async throws -> [ObjectID: DatasetVersion] {
        var found: [ObjectID: DatasetVersion] = [:]
        // Placeholders only (never the ids themselves) in the statement, 500 at a time.
        for start in stride(from: 0, to: ids.count, by: 500) {
            let part = ids[start..<min(ids.count, start + 500)].map(\.hex)
            let placeholders = Array(repeating: "?", count: part.count).joined(separator: ", ")
            let versions = try await pool.read { db in
                try Row.fetchAll(
                    db, sql: "SELECT * FROM versions WHERE id IN (\(placeholders))", arguments: StatementArguments(part)
                ).map(Self.version(from:))
            }
            for version in versions { found[version.id] = version }
        }
        return found
    }

    public func versions(prefix: String, dataset: DatasetName?) async throws -> [DatasetVersion] {
        let pattern = prefix.filter(\.isHexDigit).lowercased() + "%"
        return try await pool.read { db in
            let rows: [Row]
            if let dataset {
                rows = try Row.fetchAll(
                    db, sql: "SELECT * FROM versions WHERE id LIKE ? AND dataset = ? ORDER BY created_at DESC",
                    arguments: [pattern, dataset.description])
            } else {
                rows = try Row.fetchAll(
                    db, sql: "SELECT * FROM versions WHERE id LIKE ? ORDER BY created_at DESC", arguments: [pattern])
            }
            return try rows.map(Self.version(from:))
        }
    }

    static func version(from row: Row) throws -> DatasetVersion {
        guard let manifest = try? CanonicalJSON.decode(VersionManifest.self, from: row["manifest"] as Data),
            let version = try? DatasetVersion(
                manifest: manifest, createdAt: Timestamp(milliseconds: row["created_at"]), createdBy: row["created_by"]),
            version.id.hex == row["id"] as String
        else {
            throw TamperedRecord("version \(String((row["id"] as String).prefix(12))) does not match its manifest")
        }
        return version
    }

    // MARK: Commits

    public func saveCommit(_ commit: Commit) async throws {
        let content = try CanonicalJSON.encode(commit.content)
        try await writeImmediately { db in
            try db.execute(
                sql: "INSERT OR IGNORE INTO commits (id, content, created_at) VALUES (?, ?, ?)",
                arguments: [commit.id.hex, content, commit.content.createdAt.milliseconds])
        }
    }

    /// One statement walks the chain (a recursive query over each commit's first parent), however long it is.
    public func datasetHistory(
        _ dataset: DatasetName, from head: ObjectID, limit: Int
    ) async throws -> [DatasetAtCommit] {
        // The dataset's path is bound as a value; a dataset name is `zone.name` of identifier characters.
        let path = "$.datasets.\"\(dataset.description)\""
        let rows = try await pool.read { db -> [(id: String, createdAt: Int64, fields: String?)] in
            try Row.fetchAll(
                db,
                sql: """
                    WITH RECURSIVE chain(id, depth) AS (
                        SELECT ?1, 0
                        UNION ALL
                        SELECT json_extract(CAST(commits.content AS TEXT), '$.parents[0]'), chain.depth + 1
                        FROM chain JOIN commits ON commits.id = chain.id
                        WHERE chain.depth + 1 < ?2
                    )
                    SELECT chain.id AS id, commits.created_at AS created_at,
                        json_extract(CAST(commits.content AS TEXT), '$.actor', ?3) AS fields
                    FROM chain JOIN commits ON commits.id = chain.id ORDER BY chain.depth
                    """, arguments: [head.hex, limit, path]
            ).map { (id: $0["id"], createdAt: $0["created_at"], fields: $0["fields"]) }
        }
        return try rows.map { row in
            let fields = try JSONSerialization.jsonObject(with: Data((row.fields ?? "[]").utf8)) as? [Any]
            guard let commit = ObjectID(hex: row.id) else {
                throw InternalError("commit \(row.id.prefix(12)) has a bad id")
            }
            return DatasetAtCommit(
                commit: commit, createdAt: Timestamp(milliseconds: row.createdAt),
                actor: fields?.first as? String ?? "", version: (fields?.last as? String).flatMap(ObjectID.init(hex:)))
        }
    }

    public func firstParentHistory(from head: ObjectID, page: PageRequest) async throws -> Page<Commit> {
        let start = try page.position().map { $0 + 1 } ?? 0
        let commits = try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    WITH RECURSIVE chain(id, depth) AS (
                        SELECT ?1, 0
                        UNION ALL
                        SELECT json_extract(CAST(commits.content AS TEXT), '$.parents[0]'), chain.depth + 1
                        FROM chain JOIN commits ON commits.id = chain.id
                        WHERE chain.depth < ?2 + ?3
                    )
                    SELECT chain.depth AS depth, chain.id AS id, commits.content AS content
                    FROM chain LEFT JOIN commits ON commits.id = chain.id
                    WHERE chain.depth >= ?2 AND chain.id IS NOT NULL ORDER BY chain.depth LIMIT ?3
                    """, arguments: [head.hex, start, page.limit + 1]
            ).map { row -> (sequence: Int64, item: Commit) in
                let id: String = row["id"]
                guard let data = row["content"] as Data? else {
                    throw InternalError("commit \(id.prefix(12)) is missing from the store; run sluice verify")
                }
                guard let content = try? CanonicalJSON.decode(CommitContent.self, from: data),
                    let commit = try? Commit(content), commit.id.hex == id
                else { throw TamperedRecord("commit \(id.prefix(12)) does not match its content") }
                return (row["depth"], commit)
            }
        }
        return Page.of(commits, limit: page.limit)
    }

    public func commit(_ id: ObjectID) async throws -> Commit? {
        let data = try await pool.read { db in
            try Data.fetchOne(db, sql: "SELECT content FROM commits WHERE id = ?", arguments: [id.hex])
        }
        guard let data else { return nil }
        guard let content = try? CanonicalJSON.decode(CommitContent.self, from: data),
            let commit = try? Commit(content), commit.id == id
        else {
            throw TamperedRecord("commit \(id.short) does not match its content")
        }
        return commit
    }

    // MARK: Environments

    public func environment(_ name: String) async throws -> EnvironmentRecord? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM environments WHERE name = ?", arguments: [name]).map(
                Self.environment(from:))
        }
    }

    public func environments() async throws -> [EnvironmentRecord] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM environments ORDER BY name").map(Self.environment(from:))
        }
    }

    static func environment(from row: Row) -> EnvironmentRecord {
        EnvironmentRecord(
            name: row["name"], head: (row["head"] as String?).flatMap(ObjectID.init(hex:)),
            createdAt: Timestamp(milliseconds: row["created_at"]), createdBy: row["created_by"], base: row["base"],
            ttl: (row["ttl_seconds"] as Int64?).map(TimeSpan.init(seconds:)),
            lastUsedAt: Timestamp(milliseconds: row["last_used_at"]))
    }

    public func createEnvironment(_ record: EnvironmentRecord, audit: AuditDraft?) async throws {
        let details = try audit.map { try CanonicalJSON.encode($0.details) }
        try await writeImmediately { db in
            if try Bool.fetchOne(db, sql: "SELECT 1 FROM environments WHERE name = ?", arguments: [record.name]) == true
            {
                throw ConflictError("environment \(record.name) already exists")
            }
            try Self.insert(record, db)
            if let head = record.head {
                try Self.logMove(
                    RefMove(
                        environment: record.name, from: nil, to: head, actor: record.createdBy,
                        reason: "create from \(record.base ?? "nothing")", gitCommit: nil, at: record.createdAt), db)
            }
            if let audit, let details { _ = try Self.append(audit, details: details, in: db) }
        }
    }

    static func insert(_ record: EnvironmentRecord, _ db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO environments (name, head, created_at, created_by, base, ttl_seconds, last_used_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                record.name, record.head?.hex, record.createdAt.milliseconds, record.createdBy, record.base,
                record.ttl?.seconds,
                record.lastUsedAt.milliseconds,
            ])
    }

    static func logMove(_ move: RefMove, _ db: Database) throws {
        try db.execute(
            sql: """
                INSERT INTO ref_moves (environment, from_commit, to_commit, actor, reason, git_commit, at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                move.environment, move.from?.hex, move.to.hex, move.actor, move.reason, move.gitCommit,
                move.at.milliseconds,
            ])
    }

    public func moveEnvironment(_ move: RefMove, template: EnvironmentRecord, audit: AuditDraft?) async throws {
        let details = try audit.map { try CanonicalJSON.encode($0.details) }
        try await writeImmediately { db in
            let current = try Row.fetchOne(
                db, sql: "SELECT head FROM environments WHERE name = ?", arguments: [move.environment])
            if let current {
                let head = current["head"] as String?
                guard head == move.from?.hex else {
                    throw ConflictError(
                        "environment \(move.environment) moved while you worked: it is now at \(head.map { String($0.prefix(12)) } ?? "empty"), not \(move.from?.short ?? "empty")"
                    )
                }
                try db.execute(
                    sql: "UPDATE environments SET head = ?, last_used_at = MAX(last_used_at, ?) WHERE name = ?",
                    arguments: [move.to.hex, move.at.milliseconds, move.environment])
            } else {
                guard move.from == nil else {
                    throw ConflictError("environment \(move.environment) was deleted while you worked")
                }
                var record = template
                record.head = move.to
                record.lastUsedAt = move.at
                try Self.insert(record, db)
            }
            try Self.logMove(move, db)
            if let audit, let details { _ = try Self.append(audit, details: details, in: db) }
        }
    }

    public func environmentHistory(_ name: String) async throws -> [RefMove] {
        try await pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM ref_moves WHERE environment = ? ORDER BY seq DESC", arguments: [name]
            ).map { row in
                RefMove(
                    environment: row["environment"], from: (row["from_commit"] as String?).flatMap(ObjectID.init(hex:)),
                    to: ObjectID(hex: row["to_commit"])!, actor: row["actor"], reason: row["reason"],
                    gitCommit: row["git_commit"],
                    at: Timestamp(milliseconds: row["at"]))
            }
        }
    }

    public func touchEnvironment(_ name: String, at time: Timestamp) async throws {
        try await writeImmediately { db in
            try db.execute(
                sql: "UPDATE environments SET last_used_at = ? WHERE name = ? AND last_used_at < ?",
                arguments: [time.milliseconds, name, time.milliseconds])
        }
    }

    public func deleteEnvironment(_ seen: EnvironmentRecord) async throws -> Bool {
        try await writeImmediately { db in
            try db.execute(
                sql: "DELETE FROM environments WHERE name = ? AND last_used_at = ? AND head IS ?",
                arguments: [seen.name, seen.lastUsedAt.milliseconds, seen.head?.hex])
            return db.changesCount > 0
        }
    }

    // MARK: Audit

    public func appendAudit(_ draft: AuditDraft) async throws -> AuditEvent {
        let details = try CanonicalJSON.encode(draft.details)
        return try await writeImmediately { db in try Self.append(draft, details: details, in: db) }
    }

    public func appendFirstAudit(_ draft: AuditDraft) async throws -> AuditEvent? {
        let details = try CanonicalJSON.encode(draft.details)
        return try await writeImmediately { db in
            let earlier = try Bool.fetchOne(
                db, sql: "SELECT EXISTS (SELECT 1 FROM audit WHERE action = ? AND outcome = ?)",
                arguments: [draft.action, AuditOutcome.succeeded.rawValue])
            guard earlier != true else { return nil }
            return try Self.append(draft, details: details, in: db)
        }
    }

    /// Seals and appends an event inside the caller's transaction, so a change and its event land together.
    static func append(_ draft: AuditDraft, details: Data, in db: Database) throws -> AuditEvent {
        let previous = try Row.fetchOne(db, sql: "SELECT * FROM audit ORDER BY rowid DESC LIMIT 1").map(
            Self.auditEvent(from:))
        let event = try AuditEvent.seal(draft, after: previous)
        // Stored as sealed, so the bytes kept are the bytes hashed.
        let sealed = event.draft
        let details = sealed.details == draft.details ? details : try CanonicalJSON.encode(sealed.details)
        let draft = sealed
        try db.execute(
            sql: """
                INSERT INTO audit (seq, time, principal, authentication, action, target, outcome, details, previous_hash, hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                event.sequence, draft.time.milliseconds, draft.principal, draft.authentication.rawValue,
                draft.action, draft.target,
                draft.outcome.rawValue, String(decoding: details, as: UTF8.self), event.previousHash, event.hash,
            ])
        try db.execute(
            sql:
                "INSERT INTO audit_head (id, seq, hash) VALUES (1, ?, ?) ON CONFLICT(id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash",
            arguments: [event.sequence, event.hash])
        return event
    }

    public func latestAudit(action: String, outcome: AuditOutcome) async throws -> AuditEvent? {
        try await pool.read { db in
            try Row.fetchOne(
                db, sql: "SELECT * FROM audit WHERE action = ? AND outcome = ? ORDER BY rowid DESC LIMIT 1",
                arguments: [action, outcome.rawValue]
            ).map(Self.auditEvent(from:))
        }
    }

    public func auditEvents(action: String, target: String) async throws -> [AuditEvent] {
        try await pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM audit WHERE target = ? AND action = ? ORDER BY rowid",
                arguments: [target, action]
            ).map(Self.auditEvent(from:))
        }
    }

    public func auditEvents() async throws -> [AuditEvent] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM audit ORDER BY rowid").map(Self.auditEvent(from:))
        }
    }

    public func auditEvents(_ filter: AuditFilter, page: PageRequest) async throws -> Page<AuditEvent> {
        try await self.page(
            page,
            sql: """
                SELECT * FROM audit
                WHERE seq < ?1 AND (?2 IS NULL OR action = ?2) AND (?3 IS NULL OR principal = ?3)
                    AND (?4 IS NULL OR outcome = ?4) AND (?5 IS NULL OR target = ?5) AND (?6 IS NULL OR time >= ?6)
                ORDER BY seq DESC LIMIT ?7
                """,
            arguments: [
                filter.action, filter.principal, filter.outcome?.rawValue, filter.target, filter.since?.milliseconds,
            ],
            item: Self.auditEvent(from:))
    }

    public func auditHead() async throws -> AuditHead? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT seq, hash FROM audit_head WHERE id = 1").map {
                AuditHead(sequence: $0["seq"], hash: $0["hash"])
            }
        }
    }

    /// Reads an event as stored, without judging it: verification recomputes the chain.
    static func auditEvent(from row: Row) throws -> AuditEvent {
        let detailsText: String = row["details"]
        let details =
            (try? CanonicalJSON.decode([String: String].self, from: Data(detailsText.utf8))) ?? [
                "unreadable": detailsText
            ]
        let draft = AuditDraft(
            time: Timestamp(milliseconds: row["time"]), principal: row["principal"],
            authentication: Authentication(rawValue: row["authentication"]) ?? .anonymous, action: row["action"],
            target: row["target"],
            outcome: AuditOutcome(rawValue: row["outcome"]) ?? .failed, details: details)
        return AuditEvent(sequence: row["seq"], draft: draft, previousHash: row["previous_hash"], hash: row["hash"])
    }

    // MARK: Tokens

    public func saveToken(_ token: TokenRecord) async throws {
        try await writeImmediately { db in
            try db.execute(
                sql: "INSERT INTO tokens (id, principal, secret_hash, created_at, created_by) VALUES (?, ?, ?, ?, ?)",
                arguments: [token.id, token.principal, token.secretHash, token.createdAt.milliseconds, token.createdBy])
        }
    }

    public func saveFirstToken(_ token: TokenRecord, audit: AuditDraft) async throws -> AuditEvent? {
        let details = try CanonicalJSON.encode(audit.details)
        return try await writeImmediately { db in
            guard try Int.fetchOne(db, sql: "SELECT count(*) FROM tokens") == 0 else { return nil }
            try db.execute(
                sql: "INSERT INTO tokens (id, principal, secret_hash, created_at, created_by) VALUES (?, ?, ?, ?, ?)",
                arguments: [token.id, token.principal, token.secretHash, token.createdAt.milliseconds, token.createdBy])
            return try Self.append(audit, details: details, in: db)
        }
    }

    public func token(secretHash: String) async throws -> TokenRecord? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM tokens WHERE secret_hash = ?", arguments: [secretHash]).map(
                Self.token(from:))
        }
    }

    public func tokens() async throws -> [TokenRecord] {
        try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM tokens ORDER BY created_at").map(Self.token(from:))
        }
    }

    static func token(from row: Row) -> TokenRecord {
        TokenRecord(
            id: row["id"], principal: row["principal"], secretHash: row["secret_hash"],
            createdAt: Timestamp(milliseconds: row["created_at"]),
            createdBy: row["created_by"], revokedAt: (row["revoked_at"] as Int64?).map(Timestamp.init(milliseconds:)))
    }

    public func revokeToken(id: String, at time: Timestamp) async throws -> Bool {
        try await writeImmediately { db in
            try db.execute(
                sql: "UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                arguments: [time.milliseconds, id])
            return db.changesCount > 0
        }
    }
}
