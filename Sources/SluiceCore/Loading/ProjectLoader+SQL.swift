extension ProjectLoader {
    /// Reads `sql: { engine: sqlite|duckdb, duckdb: { memory_limit: 2GB, threads: 4 } }`.
    func readSQLSettings(_ value: YAMLValue, sink: DiagnosticCollector) -> SQLSettings {
        var settings = SQLSettings()
        guard let fields = value.fields("sql", allowed: ["engine", "duckdb"]) else { return settings }
        if let engine = fields["engine"] { settings.engine = readEngine(engine, what: "sql engine", sink: sink) }
        guard let duckdb = fields["duckdb"]?.fields("sql duckdb", allowed: ["memory_limit", "threads"]) else {
            return settings
        }
        if let value = duckdb["memory_limit"], let text = value.string("memory_limit") {
            if SQLSettings.isMemoryLimit(text) {
                settings.duckdbMemoryLimit = text
            } else {
                sink.error(
                    value.location,
                    "memory_limit \(NameRules.quoted(text)) must be a size such as 2GB, 512MB or 1.5GiB")
            }
        }
        if let value = duckdb["threads"], let threads = value.int("threads", min: 1) {
            if threads <= 1024 {
                settings.duckdbThreads = threads
            } else {
                sink.error(value.location, "threads must be at most 1024, found \(threads)")
            }
        }
        return settings
    }

    /// `sqlite` or `duckdb`; anything else is an error (and SQLite is used).
    func readEngine(_ value: YAMLValue, what: String, sink: DiagnosticCollector) -> SQLEngine {
        guard let text = value.string(what) else { return .sqlite }
        guard let engine = SQLEngine(rawValue: text) else {
            sink.error(
                value.location, "\(what) \(NameRules.quoted(text)) is not an engine (engines: \(SQLEngine.choices))")
            return .sqlite
        }
        return engine
    }
}
