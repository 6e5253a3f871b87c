import Foundation
import SluiceTestSupport
import Testing

/// One scaffolded project driven through a month of use, as a team does: deliveries by hand and by the
/// landing trigger, runs, promotions, commits and restarts of `sluice serve`, with `MonthReference` keeping
/// what each environment must hold.
final class MonthOfUse {
    let project: CLIProject
    let reference: MonthReference
    var served: ServedProject?
    /// The version of `models/clean_orders.sql` at the head commit.
    var sql = "v1"

    init() throws {
        project = try CLIProject()
        try FileManager.default.removeItem(at: project.folder.appendingPathComponent("landing/orders/2026-11-24.csv"))
        try project.makeTokens()
        reference = try MonthReference(beside: project)
    }

    var server: String? { served.map { "http://127.0.0.1:\($0.port)" } }

    // MARK: Deliveries

    /// Writes day `day`'s orders into the landing folder, settled (modified a minute ago) unless told; its path.
    func deliver(_ day: Int, settled: Bool = true) throws -> String {
        let path = "landing/orders/\(MonthOfDeliveries.name(day))"
        try project.write(path, MonthOfDeliveries.orders(day: day))
        let url = project.folder.appendingPathComponent(path)
        if settled {
            try FileManager.default.setAttributes(
                [.modificationDate: Date().addingTimeInterval(-60)], ofItemAtPath: url.path)
        }
        return url.path
    }

    /// Replaces the customer list in the landing folder with `ids`; a copy for the reference.
    func deliverCustomers(_ ids: [Int]) throws -> String {
        let text = MonthOfDeliveries.customers(ids)
        try project.write("landing/customers/customers.csv", text)
        return try reference.keepCustomers(text)
    }

    /// `principal` ingests `source` into `environment` by hand; the result.
    @discardableResult
    func ingest(
        _ source: String, into environment: String = "dev", as principal: String = "alice",
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> SluiceBinary.Result {
        let result = try project.run(as: principal, ["ingest", source, "--env", environment])
        #expect(result.status == 0, "ingest \(source): \(result.stderr)", sourceLocation: sourceLocation)
        return result
    }

    /// Day `day`'s orders, delivered and ingested by hand into `environment`.
    func deliverByHand(_ day: Int, into environment: String = "dev", as principal: String = "alice") throws {
        reference.delivered(try deliver(day), to: environment)
        try ingest("orders_drop", into: environment, as: principal)
    }

    /// A new customer list, ingested by hand into dev; what the ingest printed.
    @discardableResult
    func customersByHand(_ ids: [Int]) throws -> SluiceBinary.Result {
        reference.environments["dev", default: .init()].customers = try deliverCustomers(ids)
        return try ingest("customers_drop")
    }

    // MARK: Runs and promotions

    /// `ci` runs `daily` in `environment` (through the service when one is given).
    func run(_ environment: String, server: String? = nil, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let result = try project.run(
            as: "ci", ["run", "daily", "--env", environment], environment: server.map { ["SLUICE_SERVER": $0] } ?? [:])
        #expect(
            result.status == 0, "run in \(environment): \(result.stdout)\(result.stderr)",
            sourceLocation: sourceLocation)
        reference.environments[environment]?.sql = sql
    }

    /// `principal` promotes `from` into `to`; on success `to` holds what `from` holds.
    @discardableResult
    func promote(
        _ from: String, to: String, as principal: String = "ci", server: String? = nil, expect status: Int32 = 0,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws -> SluiceBinary.Result {
        let result = try project.run(
            as: principal, ["promote", "--from", from, "--to", to],
            environment: server.map { ["SLUICE_SERVER": $0] } ?? [:])
        #expect(
            result.status == status, "promote \(from) → \(to): \(result.stdout)\(result.stderr)",
            sourceLocation: sourceLocation)
        if result.status == 0 { reference.environments[to] = reference.environments[from] }
        return result
    }

    /// Commits the project's work tree with `message`; when served, waits until the service has it in force.
    func commit(_ message: String) async throws {
        try project.commit(message)
        guard let served else { return }
        _ = try await GitFollowingTests.inForce(served, "commit", contains: try GitFollowingTests.head(project))
    }

    // MARK: The service

    func startService() throws {
        served = try ServedProject(serving: project)
    }

    /// Stops the service: gracefully (SIGTERM, it exits 0) or killed (SIGKILL).
    func stopService(killed: Bool = false) throws {
        guard let process = served?.process else { return }
        kill(process.processIdentifier, killed ? SIGKILL : SIGTERM)
        process.waitUntilExit()
        #expect(killed || process.terminationStatus == 0, "sluice serve exited \(process.terminationStatus)")
        served = nil
    }

    /// Day `day`'s orders delivered into the landing folder for the service's trigger; waits until it has
    /// landed and its triggered run has ended (or, when `lands` is false, until the batch is refused).
    /// `meanwhile` runs once the file is there (to start a stopped service).
    func deliverToTheTrigger(_ day: Int, lands: Bool = true, meanwhile: () throws -> Void = {}) async throws {
        let before = try project.versions(in: "dev")
        let refused = try rejected()
        reference.delivered(try deliver(day), to: "dev")
        try meanwhile()
        for _ in 0..<600 {
            if lands {
                let now = try project.versions(in: "dev")
                if now["raw.orders"] != before["raw.orders"], now["staged.orders"] != before["staged.orders"],
                    try running() == 0
                {
                    reference.environments["dev"]?.sql = sql
                    return
                }
            } else if try rejected() > refused {
                return
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw CLIError(message: "day \(day)'s delivery was not \(lands ? "landed and run" : "refused") in 2 minutes")
    }

    /// Runs still going on.
    func running() throws -> Int {
        try list(["runs", "list", "--status", "running", "--json"]).count
    }

    /// Batches refused whole in dev.
    func rejected() throws -> Int {
        try list(["quarantine", "list", "--json"]).filter {
            $0["kind"] as? String == "rejected" && $0["environment"] as? String == "dev"
        }.count
    }

    /// Quarantined batches of invalid rows in `environment`: their row counts, oldest first.
    func quarantinedRows(in environment: String) throws -> [Int] {
        try list(["quarantine", "list", "--json"]).filter {
            $0["kind"] as? String == "rows" && $0["environment"] as? String == environment
        }.compactMap { $0["rows"] as? Int }.reversed()
    }

    private func list(_ arguments: [String]) throws -> [[String: Any]] {
        let result = try project.run(as: "ci", arguments)
        guard result.status == 0 else { throw CLIError(message: "\(arguments): \(result.stderr)") }
        return (try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]]) ?? []
    }
}
