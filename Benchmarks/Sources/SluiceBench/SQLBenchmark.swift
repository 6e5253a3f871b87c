import ArgumentParser
import Foundation
import Logging
import SluiceCore
import SluiceQuality
import SluiceRunner
import SluiceStore

/// A `sql` step at scale: orders joined to 50,000 customers and grouped by country, against the `sqlite3`
/// command-line program importing the same files and running the same query, and the DuckDB command-line
/// program reading them, in the same run, with each one's peak memory. Targets: the embedded path ≤ 1.0× `sqlite3`;
/// `engine: duckdb` ≤ 1.3× DuckDB alone.
struct SQLBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sql", abstract: "Run a join-and-group sql step, and compare with the sqlite3 and duckdb programs."
    )

    @Option(help: "Orders (rows of the larger input).")
    var rows = 1_000_000

    @Option(help: "Runs per program; the best counts.")
    var runs = 3

    @Option(help: "Scratch folder.")
    var scratch = "/tmp/sluice-bench-sql"

    @Flag(help: "Skip DuckDB (no pip install).")
    var skipDuckdb = false

    @Option(help: "The duckdb program (default: installed with pip into the scratch folder).")
    var duckdb: String?

    static let query = """
        SELECT c.country, SUM(o.amount) AS revenue, COUNT(*) AS orders
        FROM raw.orders AS o JOIN raw.customers AS c ON c.customer_id = o.customer_id
        GROUP BY c.country
        ORDER BY c.country
        """

    func run() async throws {
        let base = URL(fileURLWithPath: scratch)
        try? FileManager.default.removeItem(at: base)
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: base) }
        let project = try Self.project(in: base.appendingPathComponent("project"), orders: rows)
        let store = try project.freshStore()
        let workspace = try project.workspace(over: store, gate: ContractGate())
        for source in ["customers", "orders"] { _ = try await workspace.ingest(source: source, environment: "dev") }
        let landing = project.root.appendingPathComponent("landing")
        print("sql benchmark: \(rows) orders joined to 50,000 customers, grouped; best of \(runs)")
        // The embedded engine first: this process's peak memory is then its own (with the ingest before it).
        let sluice = try await Self.runs(runs, "revenue", workspace: workspace, scratch: base)
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let embeddedPeak = Double(usage.ru_maxrss) / 1024
        let plain = Self.query.replacingOccurrences(of: "raw.", with: "")
        let sqlite =
            "cd '\(landing.path)' && sqlite3 :memory: -cmd '.import --csv customers/customers.csv customers' "
            + "-cmd '.import --csv orders/orders.csv orders' -csv -header \"\(plain)\" > '\(base.path)/sqlite.csv'"
        let sqliteTime = try await Measure.best(runs: runs) { try Measure.shell(sqlite) }
        print(
            "peak memory: sluice (embedded) \(Int(embeddedPeak)) MiB, sqlite3 \(Int(try Measure.peakMiB(sqlite))) MiB")
        Measure.report(
            "sql step", sluice: sluice, floor: sqliteTime, floorName: "sqlite3 (import + query)", target: 1.0)
        guard !skipDuckdb else { return }
        let program = try duckdb ?? Self.installDuckDB(into: base.appendingPathComponent("peers"))
        let executor = LocalStepExecutor(environment: ["SLUICE_DUCKDB": program])
        let onDuckDB = try await Self.runs(
            runs, "revenue_duckdb", workspace: workspace, scratch: base, executor: executor)
        let duckPeak = try await Self.duckDBStepPeak(program, workspace: workspace, scratch: base)
        let duck = plain.replacingOccurrences(of: "orders AS o", with: "'orders/orders.csv' AS o")
            .replacingOccurrences(of: "customers AS c", with: "'customers/customers.csv' AS c")
        let alone = "cd '\(landing.path)' && '\(program)' -c \"COPY (\(duck)) TO '\(base.path)/duckdb.csv'\""
        let duckdbTime = try await Measure.best(runs: runs) { try Measure.shell(alone) }
        print(
            "peak memory: sluice's duckdb step \(Int(duckPeak)) MiB, duckdb alone \(Int(try Measure.peakMiB(alone))) MiB"
        )
        Measure.report(
            "sql step (engine: duckdb)", sluice: onDuckDB, floor: duckdbTime, floorName: "duckdb", target: 1.3)
        Measure.report("sql step (embedded)", sluice: sluice, floor: duckdbTime, floorName: "duckdb")
    }

    /// The peak memory of the duckdb program as Sluice runs it: one more run through a launcher that runs it
    /// under GNU `time`.
    static func duckDBStepPeak(_ program: String, workspace: Workspace, scratch: URL) async throws -> Double {
        let launcher = scratch.appendingPathComponent("duckdb-under-time")
        let record = scratch.appendingPathComponent("duckdb-peak")
        let script =
            "#!/bin/sh\nexec \(try Measure.gnuTime()) -a -f %M -o \(Measure.quoted(record.path)) \(Measure.quoted(program)) \"$@\"\n"
        try Data(script.utf8).write(to: launcher)
        chmod(launcher.path, 0o755)
        try Data().write(to: record)
        chmod(record.path, 0o666)  // steps run as another user when the benchmark runs as root
        let executor = LocalStepExecutor(environment: ["SLUICE_DUCKDB": launcher.path])
        _ = try await runs(1, "revenue_duckdb", workspace: workspace, scratch: scratch, executor: executor)
        return try Measure.peakMiB(recordedIn: record)
    }

    /// The best of `count` runs of `pipeline`, without the cache.
    static func runs(
        _ count: Int, _ pipeline: String, workspace: Workspace, scratch: URL,
        executor: any StepExecutor = LocalStepExecutor()
    ) async throws -> Double {
        try await Measure.best(runs: count) {
            var logger = Logger(label: "sluice")
            logger.logLevel = .warning
            let run = try await PipelineRunner(
                workspace: workspace, executor: executor, scratch: scratch, logger: logger
            )
            .run(pipeline, options: RunOptions(environment: "dev", maxParallel: 2, useCache: false))
            guard run.status == .succeeded else { throw BenchError("the \(pipeline) run failed: \(run.message ?? "")") }
        }
    }

    /// duckdb-cli from pip in a virtual environment; returns the program itself (not the Python launcher).
    static func installDuckDB(into venv: URL) throws -> String {
        print("installing duckdb-cli with pip into \(venv.path) …")
        try Measure.shell("python3 -m venv '\(venv.path)' && '\(venv.path)/bin/python' -m pip install -q duckdb-cli")
        return try Measure.shell(
            "'\(venv.path)/bin/python' -c 'import duckdb_cli.__main__ as m; print(m._find_binary())'"
        ).trimmed
    }

    /// The project: customers and orders landed as CSV (deterministic), and one pipeline with the sql step.
    static func project(in folder: URL, orders: Int) throws -> BenchProject {
        try? FileManager.default.removeItem(at: folder)
        for name in ["landing/customers", "landing/orders", "models"] {
            try FileManager.default.createDirectory(
                at: folder.appendingPathComponent(name), withIntermediateDirectories: true)
        }
        let countries = ["DE", "FR", "GB", "NL", "PL", "SE", "US", "JP"]
        var customers = "customer_id,name,country\n"
        for id in 1...50_000 { customers += "\(id),customer \(id),\(countries[id % countries.count])\n" }
        try Data(customers.utf8).write(to: folder.appendingPathComponent("landing/customers/customers.csv"))
        var text = "order_id,customer_id,amount,status\n"
        let handle = try Self.create(folder.appendingPathComponent("landing/orders/orders.csv"))
        defer { try? handle.close() }
        for id in 1...orders {
            text += "\(id),\(id * 7919 % 50_000 + 1),\(id % 10_000).\(String(format: "%02d", id % 100)),paid\n"
            if text.utf8.count > 1 << 20 {
                try handle.write(contentsOf: Data(text.utf8))
                text = ""
            }
        }
        try handle.write(contentsOf: Data(text.utf8))
        try Data(query.utf8).write(to: folder.appendingPathComponent("models/revenue.sql"))
        try Data(yaml.utf8).write(to: folder.appendingPathComponent("sluice.yaml"))
        try Data(".sluice/\nlanding/\n".utf8).write(to: folder.appendingPathComponent(".gitignore"))
        try Measure.shell(
            "cd '\(folder.path)' && git init -q && git add -A && git -c user.name=b -c user.email=b@b commit -qm bench")
        return BenchProject(root: folder)
    }

    static func create(_ url: URL) throws -> FileHandle {
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw BenchError("cannot create \(url.path)")
        }
        return try FileHandle(forWritingTo: url)
    }

    /// The output of the sql step, one per engine: the same columns.
    static func revenue(_ name: String) -> String {
        "  \(name):\n    owner: bench\n    classification: internal\n    columns:\n"
            + "      country: { type: string, required: true }\n      revenue: { type: decimal, scale: 2 }\n"
            + "      orders: { type: int }"
    }

    static let yaml = """
        project: bench
        quarantine: { lifecycle: { keep_days: 30 } }
        runs: { lifecycle: { keep_days: 90 } }
        environments:
          dev: { lifecycle: { expire_after_idle: 30d } }
        roles:
          pipeline: { grants: ["read:*", "write:*", "delete:*"] }
        principals:
          ci: { role: pipeline }
        sources:
          customers: { path: landing/customers/*.csv, format: csv, into: raw.customers, mode: snapshot }
          orders: { path: landing/orders/*.csv, format: csv, into: raw.orders, mode: snapshot }
        datasets:
          raw.customers:
            owner: bench
            classification: internal
            columns:
              customer_id: { type: int, required: true }
              name: { type: string }
              country: { type: string }
          raw.orders:
            owner: bench
            classification: internal
            columns:
              order_id: { type: int, required: true }
              customer_id: { type: int, required: true }
              amount: { type: decimal }
              status: { type: string }
        \(revenue("curated.revenue"))
        \(revenue("curated.revenue_duckdb"))
        pipelines:
          revenue:
            steps:
              revenue: { sql: models/revenue.sql, inputs: [raw.orders, raw.customers], output: curated.revenue }
          revenue_duckdb:
            steps:
              revenue:
                sql: models/revenue.sql
                engine: duckdb
                inputs: [raw.orders, raw.customers]
                output: curated.revenue_duckdb
        """
}
