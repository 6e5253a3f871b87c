import Foundation

/// Runs the built `sluice` binary the way a user does, in a project folder of its own.
public struct SluiceBinary: Sendable {
    public struct Result: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    public static let url: URL = {
        if let path = ProcessInfo.processInfo.environment["SLUICE_BINARY"] { return URL(fileURLWithPath: path) }
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(
            "sluice")
        if FileManager.default.isExecutableFile(atPath: beside.path) { return beside }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/sluice")
    }()

    public let folder: URL

    public init(folder: URL) {
        self.folder = folder
    }

    /// Starts the binary; the caller waits for it.
    public func start(
        _ arguments: [String], environment: [String: String] = [:], stderrFile: URL? = nil
    ) throws -> (Process, Pipe, Pipe) {
        let process = Process()
        process.executableURL = Self.url
        process.arguments = arguments
        process.currentDirectoryURL = folder
        process.environment = Self.environment(environment)
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        if let stderrFile {
            _ = FileManager.default.createFile(atPath: stderrFile.path, contents: nil)
            process.standardError = try FileHandle(forWritingTo: stderrFile)
        } else {
            process.standardError = err
        }
        try process.run()
        TestLeftovers.track(process)
        return (process, out, err)
    }

    @discardableResult
    public func run(_ arguments: [String], environment: [String: String] = [:], input: Data? = nil) throws -> Result {
        let process = Process()
        process.executableURL = Self.url
        process.arguments = arguments
        process.currentDirectoryURL = folder
        process.environment = Self.environment(environment)
        let captured = try ProcessCapture.run(process, input: input ?? Data())
        return Result(
            status: captured.status, stdout: String(decoding: captured.stdout, as: UTF8.self),
            stderr: String(decoding: captured.stderr, as: UTF8.self))
    }

    /// This process's environment without a token, quiet about warnings, with `extra` on top.
    static func environment(_ extra: [String: String]) -> [String: String] {
        var merged = ProcessInfo.processInfo.environment
        merged.removeValue(forKey: "SLUICE_TOKEN")
        merged["SLUICE_QUIET_WARNINGS"] = "1"
        merged.merge(extra) { $1 }
        return merged
    }
}

/// A fresh project made by `sluice init`, with landed data, committed to git, and tokens for its principals.
public final class CLIProject {
    public let folder: URL
    public let sluice: SluiceBinary
    public private(set) var tokens: [String: String] = [:]

    public init(
        ordersCSV: String = "order_id,customer_id,amount,status,ordered_at\n1,1,10.50,paid,2026-11-24T10:00:00Z\n",
        customerIDs: [Int] = [1], in parent: URL = FileManager.default.temporaryDirectory
    ) throws {
        folder = parent.appendingPathComponent("sluice-cli-\(UUID().uuidString)")
        sluice = SluiceBinary(folder: folder)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        // Removed when the project is released; at the test process's exit at the latest (a leaked owner).
        TestLeftovers.track(folder: folder)
        let created = try sluice.run(["init", folder.path])
        guard created.status == 0 else { throw CLIError(message: "init failed: \(created.stderr)") }
        try write("landing/orders/2026-11-24.csv", ordersCSV)
        try write(
            "landing/customers/customers.csv",
            "customer_id,name,email,country,signed_up_at\n"
                + customerIDs.map { "\($0),Ada,ada\($0)@example.com,GB,2026-01-01T00:00:00Z\n" }.joined())
        try git(["init", "-q"])
        try commit("project")
    }

    /// Runs git in the project folder.
    public func git(_ arguments: [String]) throws {
        let git = Process()
        git.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        git.arguments = ["git", "-C", folder.path] + arguments
        try git.run()
        git.waitUntilExit()
    }

    /// Commits everything in the work tree (so that the tree is clean again).
    public func commit(_ message: String) throws {
        try git(["add", "-A"])
        try git(["-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "--allow-empty", "-m", message])
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    public func write(_ path: String, _ content: String) throws {
        let url = folder.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(content.utf8).write(to: url)
    }

    /// Rewrites a project file (without committing); returns what it held before.
    @discardableResult
    public func edit(_ path: String, _ change: (String) -> String) throws -> String {
        let original = try String(contentsOf: folder.appendingPathComponent(path), encoding: .utf8)
        let changed = change(original)
        guard changed != original else { throw CLIError(message: "the edit of \(path) changed nothing") }
        try write(path, changed)
        return original
    }

    /// Creates tokens: the bootstrap admin token for ops, then the others with it.
    public func makeTokens(_ principals: [String] = ["ci", "alice", "bob"]) throws {
        let ops = try sluice.run(["token", "create", "ops"])
        guard ops.status == 0 else { throw CLIError(message: "bootstrap failed: \(ops.stderr)") }
        tokens["ops"] = ops.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        for principal in principals {
            let result = try run(as: "ops", ["token", "create", principal])
            guard result.status == 0 else { throw CLIError(message: "token for \(principal) failed: \(result.stderr)") }
            tokens[principal] = result.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    /// A `partner` pipeline, committed: a command step delivers `csv` (a partner's file, header and all) as
    /// `staged.partner`, and a sql step selects everything from it into `curated.partner`.
    public func addPartnerPipeline(delivering csv: String) throws {
        try write("data/partner.csv", csv)
        try write("scripts/partner.sh", "cat \"$1\" > \"$SLUICE_OUTPUT_STAGED_PARTNER\"\n")
        try write(
            "datasets/partner.yaml",
            "staged.partner: { owner: t, classification: internal }\ncurated.partner: { owner: t, classification: internal }\n"
        )
        try write(
            "pipelines/partner.yaml",
            """
            partner:
              steps:
                deliver: { command: [sh, scripts/partner.sh, data/partner.csv], output: staged.partner }
                load: { sql: models/partner.sql, inputs: [staged.partner], output: curated.partner }

            """)
        try write("models/partner.sql", "SELECT * FROM staged.partner\n")
        try commit("partner pipeline")
    }

    /// Commits `sql` as the daily pipeline's clean_orders model, ingests both sources, and runs that step alone.
    public func runCleanOrders(_ sql: String) throws -> SluiceBinary.Result {
        try write("models/clean_orders.sql", sql)
        try commit("hostile model")
        try makeTokens()
        try ingestCustomers()
        let ingest = try run(as: "alice", ["ingest", "orders_drop"])
        guard ingest.status == 0 else { throw CLIError(message: "orders ingest failed: \(ingest.stderr)") }
        return try run(as: "ci", ["run", "daily", "--env", "dev", "--select", "clean_orders"])
    }

    /// Ingests the customers, which the orders' `references` check needs in the same environment.
    public func ingestCustomers(environment: String = "dev") throws {
        let result = try run(as: "alice", ["ingest", "customers_drop", "--env", environment])
        guard result.status == 0 else { throw CLIError(message: "customers ingest failed: \(result.stderr)") }
    }

    @discardableResult
    public func run(
        as principal: String? = nil, _ arguments: [String], environment: [String: String] = [:]
    ) throws -> SluiceBinary.Result {
        var environment = environment
        if let principal { environment["SLUICE_TOKEN"] = tokens[principal] }
        return try sluice.run(arguments, environment: environment)
    }

    public var database: String { folder.appendingPathComponent(".sluice/metadata.sqlite").path }

    /// Dataset name → version id in `environment`, as `principal` reads it (`sluice datasets --json`).
    public func versions(in environment: String, as principal: String = "ci") throws -> [String: String] {
        let json = try run(as: principal, ["datasets", "--env", environment, "--json"]).stdout
        let items = (try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [[String: Any]]) ?? []
        return Dictionary(
            uniqueKeysWithValues: items.compactMap { item in
                (item["name"] as? String).flatMap { name in (item["version"] as? String).map { (name, $0) } }
            })
    }

    /// Runs SQL on the metadata database with the sqlite3 program (to tamper, as an attacker would).
    public func sqlite(_ sql: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sqlite3", database, sql]
        return String(decoding: try ProcessCapture.run(process).stdout, as: UTF8.self)
    }
}

public struct CLIError: Error, CustomStringConvertible {
    public var message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}

/// Waits until `file` contains `text` (at most a minute): a process announcing a pause point.
public func waitFor(_ text: String, in file: URL) throws {
    let deadline = Date().addingTimeInterval(60)
    while Date() < deadline {
        if let content = try? String(contentsOf: file, encoding: .utf8), content.contains(text) { return }
        Thread.sleep(forTimeInterval: 0.01)
    }
    throw CLIError(message: "timed out waiting for \(text) in \(file.path)")
}
