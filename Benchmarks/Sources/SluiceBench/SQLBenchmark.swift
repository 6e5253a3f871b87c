import ArgumentParser
import Foundation
import Logging
import SluiceCore
import SluiceQuality
import SluiceRunner
import SluiceStore

/// A `sql` step at scale: orders joined to 50,000 customers and grouped by country, against the `sqlite3`
/// command-line program importing the same files and running the same query, and the DuckDB command-line
/// program reading them, in the same run. Target: the embedded path ≤ 1.0× `sqlite3`.
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
        let sluice = try await Measure.best(runs: runs) {
            var logger = Logger(label: "sluice")
            logger.logLevel = .warning
            let run = try await PipelineRunner(workspace: workspace, scratch: base, logger: logger).run(
                "revenue", options: RunOptions(environment: "dev", maxParallel: 2, useCache: false))
            guard run.status == .succeeded else { throw BenchError("the sql run failed: \(run.message ?? "")") }
        }
        let plain = Self.query.replacingOccurrences(of: "raw.", with: "")
        let sqlite = try await Measure.best(runs: runs) {
            try Measure.shell(
                "cd '\(landing.path)' && sqlite3 :memory: -cmd '.import --csv customers/customers.csv customers' "
                    + "-cmd '.import --csv orders/orders.csv orders' -csv -header \"\(plain)\" > '\(base.path)/sqlite.csv'"
            )
        }
        Measure.report("sql step", sluice: sluice, floor: sqlite, floorName: "sqlite3 (import + query)", target: 1.0)
        guard !skipDuckdb else { return }
        let venv = base.appendingPathComponent("peers")
        print("installing duckdb-cli with pip into \(venv.path) …")
        try Measure.shell("python3 -m venv '\(venv.path)' && '\(venv.path)/bin/python' -m pip install -q duckdb-cli")
        let program = venv.appendingPathComponent("bin/duckdb").path
        let duck = plain.replacingOccurrences(of: "orders AS o", with: "'orders/orders.csv' AS o")
            .replacingOccurrences(of: "customers AS c", with: "'customers/customers.csv' AS c")
        let duckdb = try await Measure.best(runs: runs) {
            try Measure.shell("cd '\(landing.path)' && '\(program)' -c \"COPY (\(duck)) TO '\(base.path)/duckdb.csv'\"")
        }
        Measure.report("sql step", sluice: sluice, floor: duckdb, floorName: "duckdb")
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
          curated.revenue:
            owner: bench
            classification: internal
            columns:
              country: { type: string, required: true }
              revenue: { type: decimal, scale: 2 }
              orders: { type: int }
        pipelines:
          revenue:
            steps:
              revenue: { sql: models/revenue.sql, inputs: [raw.orders, raw.customers], output: curated.revenue }
        """
}
