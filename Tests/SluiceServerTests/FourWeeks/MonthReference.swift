import Foundation
import SluiceTestSupport
import Testing

/// What each environment was given over the month — the deliveries that reached it (with the customer list
/// each was judged against and the ratio then in force), its customer list and the step code of its last run
/// — and the check of every dataset there against `reference.py`, an independent implementation in Python.
final class MonthReference {
    struct Delivery: Codable {
        var file: String
        var customers: String
        var maxInvalidRatio: Double
    }

    struct Environment: Codable {
        var deliveries: [Delivery] = []
        var customers = ""
        var sql = "v1"
        var actual: [String: String] = [:]
    }

    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "reference.py")
    static let datasets = ["raw.orders", "raw.customers", "staged.orders", "curated.revenue_by_country"]

    /// Copies of what was delivered (customer lists are replaced in the landing folder) and what was read.
    let folder: URL
    var environments: [String: Environment] = [:]
    var ratio = 0.01
    private var customerLists = 0

    init(beside project: CLIProject) throws {
        folder = project.folder.appendingPathExtension("reference")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: folder) }

    /// Keeps a copy of a customer list as delivered; its path.
    func keepCustomers(_ text: String) throws -> String {
        customerLists += 1
        let url = folder.appendingPathComponent("customers-\(customerLists).csv")
        try Data(text.utf8).write(to: url)
        return url.path
    }

    /// `environment` received the orders file at `path`, judged against its customer list of the moment.
    func delivered(_ path: String, to environment: String) {
        let customers = environments[environment, default: Environment()].customers
        environments[environment, default: Environment()].deliveries.append(
            Delivery(file: path, customers: customers, maxInvalidRatio: ratio))
    }

    /// Reads every dataset of `names` as `ci` (through `server` when given) and compares all with the reference.
    func check(
        _ project: CLIProject, _ names: [String], server: String? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        var asked: [String: Environment] = [:]
        for name in names {
            var environment = try #require(environments[name], sourceLocation: sourceLocation)
            for dataset in Self.datasets {
                let read = try project.run(
                    as: "ci", ["cat", dataset, "--env", name],
                    environment: server.map { ["SLUICE_SERVER": $0] } ?? [:])
                #expect(read.status == 0, "cat \(dataset) in \(name): \(read.stderr)", sourceLocation: sourceLocation)
                let url = folder.appendingPathComponent(
                    "\(name.replacingOccurrences(of: "/", with: "_"))-\(dataset).csv")
                try Data(read.stdout.utf8).write(to: url)
                environment.actual[dataset] = url.path
            }
            asked[name] = environment
        }
        let input = folder.appendingPathComponent("check.json")
        try JSONEncoder().encode(["environments": asked]).write(to: input)
        let python = try #require(ExternalTool(["/usr/bin/python3", "/usr/local/bin/python3"]), "python3")
        let (status, output) = try python.run([Self.script.path, input.path])
        #expect(status == 0, "the datasets differ from the reference:\n\(output)", sourceLocation: sourceLocation)
    }
}
