import GRDB
import SluiceCore

extension SQLiteMetadataStore {
    /// Schema migrations, applied in order and recorded in the database; never edit a shipped one.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.execute(
                sql: """
                    CREATE TABLE versions (
                        id TEXT PRIMARY KEY NOT NULL,
                        dataset TEXT NOT NULL,
                        manifest BLOB NOT NULL,
                        rows INTEGER NOT NULL,
                        bytes INTEGER NOT NULL,
                        created_at INTEGER NOT NULL,
                        created_by TEXT NOT NULL
                    );
                    CREATE INDEX versions_dataset ON versions (dataset, created_at);
                    CREATE TABLE commits (
                        id TEXT PRIMARY KEY NOT NULL,
                        content BLOB NOT NULL,
                        created_at INTEGER NOT NULL
                    );
                    CREATE TABLE environments (
                        name TEXT PRIMARY KEY NOT NULL,
                        head TEXT REFERENCES commits (id),
                        created_at INTEGER NOT NULL,
                        created_by TEXT NOT NULL,
                        base TEXT,
                        ttl_seconds INTEGER,
                        last_used_at INTEGER NOT NULL
                    );
                    CREATE TABLE ref_moves (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        environment TEXT NOT NULL,
                        from_commit TEXT,
                        to_commit TEXT NOT NULL,
                        actor TEXT NOT NULL,
                        reason TEXT NOT NULL,
                        git_commit TEXT,
                        at INTEGER NOT NULL
                    );
                    CREATE INDEX ref_moves_environment ON ref_moves (environment, seq);
                    CREATE TABLE audit (
                        seq INTEGER NOT NULL,
                        time INTEGER NOT NULL,
                        principal TEXT NOT NULL,
                        authentication TEXT NOT NULL,
                        action TEXT NOT NULL,
                        target TEXT NOT NULL,
                        outcome TEXT NOT NULL,
                        details TEXT NOT NULL,
                        previous_hash TEXT NOT NULL,
                        hash TEXT NOT NULL
                    );
                    CREATE TABLE audit_head (
                        id INTEGER PRIMARY KEY CHECK (id = 1),
                        seq INTEGER NOT NULL,
                        hash TEXT NOT NULL
                    );
                    CREATE TABLE tokens (
                        id TEXT PRIMARY KEY NOT NULL,
                        principal TEXT NOT NULL,
                        secret_hash TEXT NOT NULL UNIQUE,
                        created_at INTEGER NOT NULL,
                        created_by TEXT NOT NULL,
                        revoked_at INTEGER
                    );
                    """)
        }
        migrator.registerMigration("v2-quality") { db in
            try db.execute(
                sql: """
                    CREATE TABLE check_runs (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        id TEXT NOT NULL UNIQUE,
                        dataset TEXT NOT NULL,
                        environment TEXT NOT NULL,
                        version TEXT,
                        passed INTEGER NOT NULL,
                        content BLOB NOT NULL,
                        at INTEGER NOT NULL
                    );
                    CREATE INDEX check_runs_dataset ON check_runs (dataset, environment, seq);
                    CREATE INDEX check_runs_version ON check_runs (version, seq);
                    CREATE TABLE quarantine (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        id TEXT NOT NULL UNIQUE,
                        dataset TEXT NOT NULL,
                        content BLOB NOT NULL,
                        at INTEGER NOT NULL
                    );
                    """)
        }
        migrator.registerMigration("v3-runs") { db in
            try db.execute(
                sql: """
                    CREATE TABLE runs (
                        seq INTEGER PRIMARY KEY AUTOINCREMENT,
                        id TEXT NOT NULL UNIQUE,
                        pipeline TEXT NOT NULL,
                        status TEXT NOT NULL,
                        content BLOB NOT NULL
                    );
                    CREATE INDEX runs_pipeline ON runs (pipeline, seq);
                    """)
        }
        migrator.registerMigration("v4-lineage") { db in
            try db.execute(
                sql: """
                    CREATE TABLE lineage (
                        version TEXT PRIMARY KEY NOT NULL,
                        content BLOB NOT NULL
                    );
                    CREATE TABLE lineage_inputs (
                        input TEXT NOT NULL,
                        version TEXT NOT NULL,
                        PRIMARY KEY (input, version)
                    );
                    """)
        }
        migrator.registerMigration("v5-retention") { db in
            try db.execute(
                sql: "CREATE TABLE collected_versions (version TEXT PRIMARY KEY NOT NULL, at INTEGER NOT NULL)")
        }
        migrator.registerMigration("v6-audit-action") { db in
            try db.execute(sql: "CREATE INDEX audit_action ON audit (action, outcome)")
        }
        migrator.registerMigration("v7-run-heartbeat") { db in
            try db.execute(sql: "ALTER TABLE runs ADD COLUMN heartbeat_at INTEGER")
        }
        // Lists are read a page at a time, newest first, from a sequence number on.
        migrator.registerMigration("v8-paging") { db in
            try db.execute(sql: "CREATE INDEX audit_seq ON audit (seq)")
            try db.execute(sql: "CREATE INDEX runs_status ON runs (status, seq)")
        }
        migrator.registerMigration("v9-ticks") { db in
            try db.execute(
                sql: """
                    CREATE TABLE ticks (
                        pipeline TEXT NOT NULL,
                        environment TEXT NOT NULL,
                        tick INTEGER NOT NULL,
                        claimed_at INTEGER NOT NULL,
                        claimed_by TEXT NOT NULL,
                        PRIMARY KEY (pipeline, environment, tick)
                    )
                    """)
            try db.execute(
                sql: """
                    CREATE TABLE landings (
                        source TEXT NOT NULL,
                        path TEXT NOT NULL,
                        size INTEGER NOT NULL,
                        modified INTEGER NOT NULL,
                        claimed_at INTEGER NOT NULL,
                        claimed_by TEXT NOT NULL,
                        PRIMARY KEY (source, path, size, modified)
                    )
                    """)
        }
        migrator.registerMigration("v10-run-filters") { db in
            // Columns for the run list's filters, taken from the records already stored.
            try db.execute(
                sql: """
                    ALTER TABLE runs ADD COLUMN environment TEXT;
                    ALTER TABLE runs ADD COLUMN principal TEXT;
                    ALTER TABLE runs ADD COLUMN started_at INTEGER;
                    UPDATE runs SET
                        environment = json_extract(CAST(content AS TEXT), '$.environment'),
                        principal = json_extract(CAST(content AS TEXT), '$.principal'),
                        started_at = json_extract(CAST(content AS TEXT), '$.startedAt');
                    CREATE INDEX runs_environment ON runs (environment, seq);
                    CREATE INDEX runs_principal ON runs (principal, seq);
                    """)
        }
        migrator.registerMigration("v11-outbox") { db in
            // Messages to other systems until they are delivered, and the alerts firing now.
            try db.execute(
                sql: """
                    CREATE TABLE outbox (
                        id INTEGER PRIMARY KEY AUTOINCREMENT,
                        channel TEXT NOT NULL,
                        destination TEXT NOT NULL,
                        body BLOB NOT NULL,
                        created_at INTEGER NOT NULL,
                        attempts INTEGER NOT NULL,
                        next_attempt_at INTEGER NOT NULL,
                        last_error TEXT,
                        replaces TEXT
                    );
                    CREATE INDEX outbox_destination ON outbox (destination, id);
                    CREATE TABLE alerts (
                        fingerprint TEXT PRIMARY KEY,
                        starts_at INTEGER NOT NULL,
                        content BLOB NOT NULL
                    );
                    """)
        }
        // The records an operation checks against the chain before relying on them are found by target.
        migrator.registerMigration("v12-audit-target") { db in
            try db.execute(sql: "CREATE INDEX audit_target ON audit (target, action)")
        }
        // The objects each version holds, by zone, so that store statistics are a query, not a decoding of
        // every manifest; filled in for the versions stored before.
        migrator.registerMigration("v13-version-objects") { db in
            try db.execute(
                sql: """
                    CREATE TABLE version_objects (
                        version TEXT NOT NULL REFERENCES versions (id),
                        zone TEXT NOT NULL,
                        object TEXT NOT NULL,
                        bytes INTEGER NOT NULL,
                        PRIMARY KEY (version, object)
                    );
                    CREATE INDEX version_objects_zone ON version_objects (zone, object);
                    """)
            for row in try Row.fetchAll(db, sql: "SELECT * FROM versions") {
                try insertObjects(of: try version(from: row), db)
            }
        }
        // When each object was last written and which ones a collection is deleting: garbage collection's
        // safety, kept where every backend's writers and collector meet (objects stored before are marked by
        // the first collection that finds them).
        migrator.registerMigration("v14-object-marks") { db in
            try db.execute(
                sql: """
                    CREATE TABLE object_marks (
                        id TEXT PRIMARY KEY NOT NULL,
                        written_at INTEGER NOT NULL,
                        deleting_until INTEGER
                    ) WITHOUT ROWID
                    """)
        }
        // What the cache may reuse, by pipeline, step and key: a run's start looks its steps up here instead of
        // decoding every earlier run record (filled from the records there are).
        migrator.registerMigration("v15-step-cache") { db in
            try db.execute(
                sql: """
                    CREATE TABLE step_cache (
                        pipeline TEXT NOT NULL,
                        step TEXT NOT NULL,
                        cache_key TEXT NOT NULL,
                        run_id TEXT NOT NULL,
                        run_seq INTEGER NOT NULL,
                        made_by TEXT NOT NULL,
                        outputs BLOB NOT NULL,
                        PRIMARY KEY (pipeline, step, cache_key, run_id)
                    ) WITHOUT ROWID;
                    CREATE INDEX step_cache_run ON step_cache (run_id);
                    """)
            for row in try Row.fetchAll(db, sql: "SELECT seq, content FROM runs") {
                try cacheSteps(of: try CanonicalJSON.decode(RunRecord.self, from: row["content"]), seq: row["seq"], db)
            }
        }
        return migrator
    }
}
