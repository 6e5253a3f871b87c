import Foundation
import GRDB
import SluiceCore

extension SQLiteMetadataStore {
    public func saveRun(_ run: RunRecord) async throws {
        let content = try CanonicalJSON.encode(run)
        try await writeImmediately { db in
            try db.execute(
                sql: """
                    INSERT INTO runs (id, pipeline, status, content, environment, principal, started_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT (id) DO UPDATE SET status = excluded.status, content = excluded.content
                    """,
                arguments: [
                    run.id, run.pipeline, run.status.rawValue, content, run.environment, run.principal,
                    run.startedAt.milliseconds,
                ])
            let seq = try Int64.fetchOne(db, sql: "SELECT seq FROM runs WHERE id = ?", arguments: [run.id])
            try Self.cacheSteps(of: run, seq: seq ?? 0, db)
        }
    }

    /// Records what `run`'s steps leave to the cache (`CachedStep`), once per step.
    static func cacheSteps(of run: RunRecord, seq: Int64, _ db: Database) throws {
        for step in run.steps {
            guard let key = step.cacheKey, let cached = CachedStep(step, in: run) else { continue }
            try db.execute(
                sql: """
                    INSERT OR IGNORE INTO step_cache (pipeline, step, cache_key, run_id, run_seq, made_by, outputs)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    run.pipeline, step.step, key, run.id, seq, cached.run, try CanonicalJSON.encode(cached.outputs),
                ])
        }
    }

    public func cachedStep(pipeline: String, step: String, cacheKey: String) async throws -> CachedStep? {
        try await pool.read { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT made_by, outputs FROM step_cache WHERE pipeline = ? AND step = ? AND cache_key = ?
                        ORDER BY run_seq DESC LIMIT 1
                        """,
                    arguments: [pipeline, step, cacheKey])
            else { return nil }
            return CachedStep(
                run: row["made_by"], outputs: try CanonicalJSON.decode([String: ObjectID].self, from: row["outputs"]))
        }
    }

    public func run(_ id: String) async throws -> RunRecord? {
        try await pool.read { db in
            try Row.fetchOne(db, sql: "SELECT content, heartbeat_at FROM runs WHERE id = ?", arguments: [id])
                .map(Self.runRecord(from:))
        }
    }

    public func beatRun(_ id: String, at time: Timestamp) async throws {
        try await writeImmediately { db in
            try db.execute(
                sql: "UPDATE runs SET heartbeat_at = ? WHERE id = ? AND status = 'running'",
                arguments: [time.milliseconds, id])
        }
    }

    /// A stored record with the newest of its saved heartbeat and the beats since.
    static func runRecord(from row: Row) throws -> RunRecord {
        var record = try CanonicalJSON.decode(RunRecord.self, from: row["content"])
        if let beat = row["heartbeat_at"] as Int64?, beat > record.heartbeatAt?.milliseconds ?? Int64.min {
            record.heartbeatAt = Timestamp(milliseconds: beat)
        }
        return record
    }

    public func deleteRun(_ id: String) async throws -> Bool {
        try await writeImmediately { db in
            try db.execute(sql: "DELETE FROM runs WHERE id = ?", arguments: [id])
            let deleted = db.changesCount > 0
            try db.execute(sql: "DELETE FROM step_cache WHERE run_id = ?", arguments: [id])
            return deleted
        }
    }

    public func runs(pipeline: String?) async throws -> [RunRecord] {
        try await pool.read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT content, heartbeat_at FROM runs WHERE (?1 IS NULL OR pipeline = ?1) ORDER BY seq DESC",
                arguments: [pipeline]
            ).map(Self.runRecord(from:))
        }
    }

    public func claimTick(_ claim: TickClaim) async throws -> Bool {
        try await writeImmediately { db in
            try db.execute(
                sql: """
                    INSERT OR IGNORE INTO ticks (pipeline, environment, tick, claimed_at, claimed_by)
                    VALUES (?, ?, ?, ?, ?)
                    """,
                arguments: [
                    claim.pipeline, claim.environment, claim.tick.milliseconds, claim.claimedAt.milliseconds,
                    claim.claimedBy,
                ])
            return db.changesCount > 0
        }
    }

    public func claimLanding(_ claim: LandingClaim) async throws -> Bool {
        try await writeImmediately { db in
            try db.execute(
                sql: """
                    INSERT OR IGNORE INTO landings (source, path, size, modified, claimed_at, claimed_by)
                    VALUES (?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    claim.source, claim.path, claim.size, claim.modifiedMilliseconds, claim.claimedAt.milliseconds,
                    claim.claimedBy,
                ])
            return db.changesCount > 0
        }
    }

    public func releaseLanding(_ claim: LandingClaim) async throws {
        try await writeImmediately { db in
            try db.execute(
                sql: "DELETE FROM landings WHERE source = ? AND path = ? AND size = ? AND modified = ?",
                arguments: [claim.source, claim.path, claim.size, claim.modifiedMilliseconds])
        }
    }

    public func latestTick(pipeline: String, environment: String) async throws -> Timestamp? {
        try await pool.read { db in
            try Int64.fetchOne(
                db, sql: "SELECT max(tick) FROM ticks WHERE pipeline = ? AND environment = ?",
                arguments: [pipeline, environment]
            ).map(Timestamp.init(milliseconds:))
        }
    }

    public func runs(_ filter: RunFilter, page: PageRequest) async throws -> Page<RunRecord> {
        try await self.page(
            page,
            sql: """
                SELECT seq, content, heartbeat_at FROM runs
                WHERE seq < ?1 AND (?2 IS NULL OR pipeline = ?2) AND (?3 IS NULL OR status = ?3)
                    AND (?4 IS NULL OR environment = ?4) AND (?5 IS NULL OR principal = ?5)
                    AND (?6 IS NULL OR started_at >= ?6)
                ORDER BY seq DESC LIMIT ?7
                """,
            arguments: [
                filter.pipeline, filter.status?.rawValue, filter.environment, filter.principal,
                filter.startedSince?.milliseconds,
            ], item: Self.runRecord(from:))
    }

    public func recentRuns(perPipeline count: Int) async throws -> [RunSummary] {
        let rows = try await pool.read { db -> [(String, String, String, String, Int64)] in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT id, pipeline, status, environment, started_at FROM (
                        SELECT id, pipeline, status, environment, started_at, seq,
                            ROW_NUMBER() OVER (PARTITION BY pipeline ORDER BY seq DESC) AS position
                        FROM runs
                    ) WHERE position <= ?1 ORDER BY seq DESC
                    """, arguments: [count]
            ).map { ($0["id"], $0["pipeline"], $0["status"], $0["environment"], $0["started_at"]) }
        }
        return try rows.map { id, pipeline, status, environment, started in
            guard let status = RunStatus(rawValue: status) else {
                throw TamperedRecord("run \(id) has the unknown status \(NameRules.quoted(status))")
            }
            return RunSummary(
                id: id, pipeline: pipeline, status: status, environment: environment,
                startedAt: Timestamp(milliseconds: started))
        }
    }

    /// One page of a list read newest first by `seq`: the statement takes the cursor as `?1`, then `arguments`,
    /// then the limit (one more than asked, to know whether a page follows).
    func page<Item: Sendable>(
        _ page: PageRequest, sql: String, arguments: [(any DatabaseValueConvertible)?],
        item: @escaping @Sendable (Row) throws -> Item
    ) async throws -> Page<Item> {
        let all = StatementArguments([try page.position() ?? .max] + arguments + [page.limit + 1])
        return try await pool.read { db in
            let rows = try Row.fetchAll(db, sql: sql, arguments: all)
            return Page.of(try rows.map { (sequence: $0["seq"] as Int64, item: try item($0)) }, limit: page.limit)
        }
    }

    public func saveLineage(_ record: LineageRecord) async throws {
        let content = try CanonicalJSON.encode(record)
        try await writeImmediately { db in
            try db.execute(
                sql: "INSERT OR IGNORE INTO lineage (version, content) VALUES (?, ?)",
                arguments: [record.version.hex, content])
            guard db.changesCount > 0 else { return }
            for input in Set(record.inputs.values) {
                try db.execute(
                    sql: "INSERT OR IGNORE INTO lineage_inputs (input, version) VALUES (?, ?)",
                    arguments: [input.hex, record.version.hex])
            }
        }
    }

    public func lineage(of version: ObjectID) async throws -> LineageRecord? {
        let blob = try await pool.read { db in
            try Data.fetchOne(db, sql: "SELECT content FROM lineage WHERE version = ?", arguments: [version.hex])
        }
        return try blob.map { try CanonicalJSON.decode(LineageRecord.self, from: $0) }
    }

    public func lineage(consuming version: ObjectID) async throws -> [LineageRecord] {
        let blobs = try await pool.read { db in
            try Data.fetchAll(
                db,
                sql: """
                    SELECT lineage.content FROM lineage_inputs JOIN lineage ON lineage.version = lineage_inputs.version
                    WHERE lineage_inputs.input = ? ORDER BY lineage.version
                    """,
                arguments: [version.hex])
        }
        return try blobs.map { try CanonicalJSON.decode(LineageRecord.self, from: $0) }
    }

    public func markCollected(_ versions: [ObjectID], at time: Timestamp) async throws {
        guard !versions.isEmpty else { return }
        try await writeImmediately { db in
            for version in versions {
                try db.execute(
                    sql: "INSERT OR IGNORE INTO collected_versions (version, at) VALUES (?, ?)",
                    arguments: [version.hex, time.milliseconds])
            }
        }
    }

    public func collectedVersions() async throws -> [ObjectID: Timestamp] {
        let rows: [(String, Int64)] = try await pool.read { db in
            try Row.fetchAll(db, sql: "SELECT version, at FROM collected_versions").map { ($0["version"], $0["at"]) }
        }
        var result: [ObjectID: Timestamp] = [:]
        for (hex, at) in rows {
            if let id = ObjectID(hex: hex) { result[id] = Timestamp(milliseconds: at) }
        }
        return result
    }
}
