import ArgumentParser
import Foundation
import SluiceCore
import SluiceQuality
import SluiceStore

#if canImport(Glibc)
    import Glibc
#endif

/// DESIGN.md's validation workload: a 1 GiB, 10 M-row CSV checked against a 7-check contract (not null,
/// unique id, regex, range, accepted values, length, row count), against DuckDB and Polars running the
/// same checks on the same file (installed with pip into a virtual environment of the benchmark's own)
/// and against `wc -l`, all in the same run. Prints Sluice's peak memory.
struct ValidateBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate", abstract: "Validate a large CSV against a contract, against DuckDB, Polars and wc -l.")

    @Option(help: "Rows to generate.")
    var rows = 10_000_000

    @Option(help: "Runs of each measurement; the fastest counts.")
    var runs = 3

    @Option(help: "Scratch folder (the data file and the peers' virtual environment live here).")
    var scratch = "/tmp/sluice-bench-validate"

    @Flag(help: "Skip DuckDB and Polars (no pip install).")
    var noPeers = false

    @Flag(
        help:
            "The variant from real files: a negated-class pattern with \\s and timestamps with milliseconds and an offset."
    )
    var realWorld = false

    static let pattern = #"^[a-z0-9._]+@[a-z0-9.-]+\.[a-z]{2,}$"#
    static let realPattern = #"^[^@\s]+@[^@\s]+\.[^@\s]+$"#
    var pattern: String { realWorld ? Self.realPattern : Self.pattern }
    static let statuses = ["placed", "shipped", "delivered", "returned", "cancelled"]

    func run() async throws {
        let base = URL(fileURLWithPath: scratch)
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        let data = base.appendingPathComponent("orders-\(realWorld ? "real-" : "")\(rows).csv")
        if !FileManager.default.fileExists(atPath: data.path) {
            try OrdersGenerator.write(rows: rows, to: data, realWorld: realWorld)
        }
        let size = (try FileManager.default.attributesOfItem(atPath: data.path)[.size] as? Int) ?? 0
        print(
            "validate benchmark\(realWorld ? " (real-world variant: \(pattern), 2026-01-01T00:00:00.000+00:00)" : ""): \(rows) rows, \(String(format: "%.2f", Double(size) / Double(1 << 30))) GiB, 7 checks, best of \(runs), warm page cache, \(ProcessInfo.processInfo.activeProcessorCount) cores"
        )
        let dataset = try Self.dataset(in: base, pattern: pattern)

        // Sluice first, so this process's peak memory is the validator's.
        var report: ValidationReport?
        let sluice = try await Measure.best(runs: runs) {
            let validator = ContractValidator(dataset: dataset, format: .csv, now: Timestamp.now())
            report = try validator.validate([(name: data.lastPathComponent, source: try FileByteSource(url: data))])
        }
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        let peakMiB = Double(usage.ru_maxrss) / 1024
        guard let report else { throw BenchError("no report") }
        let counts = Self.counts(report)
        print(
            "sluice: \(Measure.format(sluice)) s, peak memory \(String(format: "%.0f", peakMiB)) MiB, found \(counts)")
        let wc = try await Measure.best(runs: runs) { try Measure.shell("wc -l '\(data.path)' > /dev/null") }
        Measure.report("vs wc -l", sluice: sluice, floor: wc, floorName: "wc -l")
        guard !noPeers else { return }

        let python = try Self.peerEnvironment(in: base)
        var fastest = Double.infinity
        for (name, script) in [("duckdb", Self.duckdb), ("polars", Self.polars)] {
            let scriptURL = base.appendingPathComponent("peer-\(name).py")
            try Data(Self.peer(script, pattern: pattern, realWorld: realWorld).utf8).write(to: scriptURL)
            var best = Double.infinity
            var line = ""
            for _ in 0..<runs {
                line = try Measure.shell("POLARS_MAX_THREADS=2 '\(python)' '\(scriptURL.path)' '\(data.path)'")
                    .trimmingCharacters(in: .whitespacesAndNewlines)
                let fields = line.split(separator: " ")
                best = min(best, Double(fields[0]) ?? .infinity)
            }
            let fields = line.split(separator: " ")
            print("\(name): \(Measure.format(best)) s, peak memory \(fields[1]) MiB, found \(fields[2])")
            if counts != String(fields[2]) { print("  (!) \(name) counted differently from sluice: \(counts)") }
            fastest = min(fastest, best)
            Measure.report("vs \(name)", sluice: sluice, floor: best, floorName: name)
        }
        let speedup = fastest / sluice
        print(
            "throughput vs the faster peer: \(String(format: "%.2f", speedup))× (target ≥ 1.5× and ≤ 300 MiB: \(speedup >= 1.5 && peakMiB <= 300 ? "met" : "MISSED"))"
        )
    }

    /// rows,nulls,duplicates,bad_email,out_of_range,bad_status,bad_country,bad_timestamp: the figures every
    /// engine must agree on.
    static func counts(_ report: ValidationReport) -> String {
        func failures(_ id: String) -> Int64 { report.checks.first { $0.id == id }?.unexpectedCount ?? -1 }
        let nulls = failures("order_id.required") + failures("customer_email.required")
        return [
            report.rows, nulls, failures("order_id.unique"), failures("customer_email.pattern"),
            failures("amount.min") + failures("amount.max"), failures("status.in"),
            failures("country.max_length") + failures("country.min_length"), failures("created_at.type"),
        ].map(String.init).joined(separator: ",")
    }

    /// A peer's script for the variant: its pattern, and how it reads timestamps with an offset.
    static func peer(_ script: String, pattern: String, realWorld: Bool) -> String {
        var script = script.replacingOccurrences(of: Self.pattern, with: pattern)
            .replacingOccurrences(
                of: String(Self.pattern.dropFirst().dropLast()), with: String(pattern.dropFirst().dropLast()))
        if realWorld {
            script = script.replacingOccurrences(of: "'created_at': 'TIMESTAMP'", with: "'created_at': 'TIMESTAMPTZ'")
                .replacingOccurrences(of: "\"created_at\": pl.Datetime", with: "\"created_at\": pl.Utf8")
                .replacingOccurrences(
                    of: "pl.col(\"created_at\").is_null()",
                    with: "pl.col(\"created_at\").str.to_datetime(\"%Y-%m-%dT%H:%M:%S%.f%:z\", strict=False).is_null()")
        }
        return script
    }

    static func dataset(in base: URL, pattern: String) throws -> Dataset {
        let root = base.appendingPathComponent("project")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let yaml = """
            project: bench
            environments:
              dev: { lifecycle: { expire_after_idle: 30d } }
            datasets:
              raw.orders:
                owner: bench
                classification: internal
                columns:
                  order_id: { type: int, required: true, unique: true }
                  customer_email: { type: string, required: true, pattern: '\(pattern)' }
                  amount: { type: decimal, min: 0, max: 100000 }
                  status: { type: string, in: [\(statuses.joined(separator: ", "))] }
                  country: { type: string, min_length: 2, max_length: 2 }
                  created_at: { type: timestamp }
                  note: { type: string }
                checks:
                  - { row_count: { min: 1 } }

            """
        try Data(yaml.utf8).write(to: root.appendingPathComponent("sluice.yaml"))
        let project = try ProjectLoader(files: LocalFileSource()).loadValidated(root: root).project
        guard let name = DatasetName("raw.orders"), let dataset = project.datasets[name] else {
            throw BenchError("no dataset")
        }
        return dataset
    }

    /// A virtual environment with DuckDB and Polars, made once in the scratch folder.
    static func peerEnvironment(in base: URL) throws -> String {
        let venv = base.appendingPathComponent("peers")
        let python = venv.appendingPathComponent("bin/python").path
        if !FileManager.default.fileExists(atPath: python) {
            print("installing duckdb and polars with pip into \(venv.path) …")
            try Measure.shell("python3 -m venv '\(venv.path)' && '\(python)' -m pip install -q duckdb polars")
        }
        return python
    }

    static let duckdb = #"""
        import duckdb, resource, sys, time
        con = duckdb.connect()
        con.execute("SET threads TO 2")
        start = time.time()
        row = con.execute(r"""
        SELECT count(*),
          count(*) FILTER (WHERE order_id IS NULL) + count(*) FILTER (WHERE customer_email IS NULL),
          count(order_id) - count(DISTINCT order_id),
          count(*) FILTER (WHERE NOT regexp_full_match(customer_email, '[a-z0-9._]+@[a-z0-9.-]+\.[a-z]{2,}')),
          count(*) FILTER (WHERE amount < 0 OR amount > 100000),
          count(*) FILTER (WHERE status NOT IN ('placed','shipped','delivered','returned','cancelled')),
          count(*) FILTER (WHERE length(country) <> 2),
          count(*) FILTER (WHERE created_at IS NULL)
        FROM read_csv(?, header = true, columns = {'order_id': 'BIGINT', 'customer_email': 'VARCHAR',
          'amount': 'DOUBLE', 'status': 'VARCHAR', 'country': 'VARCHAR', 'created_at': 'TIMESTAMP', 'note': 'VARCHAR'})
        """, [sys.argv[1]]).fetchone()
        elapsed = time.time() - start
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{elapsed:.3f} {peak:.0f} {','.join(str(v) for v in row)}")
        """#

    static let polars = #"""
        import polars as pl, resource, sys, time
        start = time.time()
        email, order_id = pl.col("customer_email"), pl.col("order_id")
        frame = pl.scan_csv(sys.argv[1], schema={"order_id": pl.Int64, "customer_email": pl.Utf8,
            "amount": pl.Float64, "status": pl.Utf8, "country": pl.Utf8, "created_at": pl.Datetime, "note": pl.Utf8}
        ).select(
            pl.len().alias("rows"),
            (order_id.is_null().sum() + email.is_null().sum()).alias("nulls"),
            (order_id.count() - order_id.n_unique()).alias("duplicates"),
            (~email.str.contains(r"^[a-z0-9._]+@[a-z0-9.-]+\.[a-z]{2,}$")).sum().alias("bad_email"),
            ((pl.col("amount") < 0) | (pl.col("amount") > 100000)).sum().alias("out_of_range"),
            (~pl.col("status").is_in(["placed", "shipped", "delivered", "returned", "cancelled"])).sum().alias("status"),
            (pl.col("country").str.len_chars() != 2).sum().alias("country"),
            pl.col("created_at").is_null().sum().alias("bad_timestamp"),
        ).collect(engine="streaming")
        elapsed = time.time() - start
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{elapsed:.3f} {peak:.0f} {','.join(str(v) for v in frame.row(0))}")
        """#
}

/// Deterministic orders: about 107 bytes a row, with a few invalid values of each kind.
enum OrdersGenerator {
    static func write(rows: Int, to url: URL, realWorld: Bool = false) throws {
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        var block = [UInt8]()
        block.reserveCapacity(9 << 20)
        block.append(contentsOf: "order_id,customer_email,amount,status,country,created_at,note\n".utf8)
        let countries = ["DE", "FR", "US", "GB", "NL", "SE", "PL", "ES", "IT", "JP"]
        for row in 1...max(1, rows) {
            let id = row % 500_009 == 0 ? row - 1 : row
            let email = row % 100_003 == 0 ? "not-an-email" : "user\((row &* 7919) % 1_000_003)@example\(row % 97).com"
            let amount = row % 200_003 == 0 ? "-5.00" : "\((row &* 31) % 100_000).\(String(format: "%02d", row % 100))"
            let status = row % 300_007 == 0 ? "lost" : ValidateBenchmark.statuses[row % 5]
            let country = row % 400_009 == 0 ? "DEU" : countries[row % 10]
            let created =
                realWorld
                ? String(
                    format: "2026-%02d-%02dT%02d:%02d:%02d.%03d+00:00", row % 12 + 1, row % 28 + 1, row % 24, row % 60,
                    (row * 7) % 60, row % 1000)
                : String(
                    format: "2026-%02d-%02dT%02d:%02d:%02dZ", row % 12 + 1, row % 28 + 1, row % 24, row % 60,
                    (row * 7) % 60)
            block.append(
                contentsOf: "\(id),\(email),\(amount),\(status),\(country),\(created),note for order \(row) padded\n"
                    .utf8)
            if block.count >= 8 << 20 {
                try handle.write(contentsOf: block)
                block.removeAll(keepingCapacity: true)
            }
        }
        try handle.write(contentsOf: block)
    }
}
