import Foundation
import PropertyBased
import SluiceCore
import SluiceRunner
import SluiceTestSupport
import Testing

/// Issue 11: what a `sql` step computes against `sqlite3`'s own CSV import of the same files, on generated
/// tables: every type's spellings (ints with signs and zeros, decimals with exponents, every bool spelling,
/// timestamps with offsets and fractions), empty values, CRLF, byte order marks, quoted line breaks and
/// versions of several files. Fixed seed in CI; `SLUICE_PROPERTY_CASES` and `SLUICE_PROPERTY_SEED` run more.
@Suite(.enabled(if: SQLite3.path != nil, "needs the sqlite3 command (scripts/test.sh installs it)"))
struct DifferentialSQLTests {
    static var cases: Int {
        Int(ProcessInfo.processInfo.environment["SLUICE_PROPERTY_CASES"] ?? "").map { $0 / 10 } ?? 25
    }
    static var seed: UInt64 { UInt64(ProcessInfo.processInfo.environment["SLUICE_PROPERTY_SEED"] ?? "") ?? 7 }
    static let generator = Gen.int(in: 0...65_535).array(of: 4...200).map(SQLCase.init)

    @Test func resultsMatchSQLiteImport() async throws {
        var random = Xoshiro(seed: (Self.seed, 0x5C1, 0xDA7A, 0xBEEF))
        var failed = 0
        for index in 0..<Self.cases where failed < 3 {
            let test = Self.generator.run(using: &random)
            let (sluice, reference) = try await (Self.sluiceResults(test), Self.referenceResults(test))
            if sluice != reference {
                failed += 1
                Issue.record("case \(index) (seed \(Self.seed)):\nsluice    \(sluice)\nreference \(reference)\n\(test)")
            }
        }
    }

    /// Each column's query as a `sql` step of a pipeline, on the files ingested as one version.
    static func sluiceResults(_ test: SQLCase) async throws -> [[[String]]] {
        var files: [String: String] = [:]
        var steps: [String] = []
        var datasets = """
              raw.t:
                owner: t
                classification: internal
                columns: { \(test.columns.map { "\($0.name): { type: \($0.type.rawValue) }" }.joined(separator: ", ")) }

            """
        for index in test.columns.indices {
            files["models/q\(index).sql"] = test.queries(index).sluice + "\n"
            steps.append("      q\(index): { sql: models/q\(index).sql, inputs: [raw.t], output: staged.q\(index) }")
            datasets += "  staged.q\(index): { owner: t, classification: internal }\n"
        }
        for (index, content) in test.csvFiles.enumerated() { files["landing/t\(index).csv"] = content }
        files["sluice.yaml"] = RunnerHarness.yaml(
            pipeline: "  queries:\n    steps:\n" + steps.joined(separator: "\n"), datasets: datasets
        ).replacingOccurrences(
            of: "  orders: { path: landing/orders.csv, format: csv, into: raw.orders, mode: snapshot }",
            with:
                "  orders: { path: landing/orders.csv, format: csv, into: raw.orders, mode: snapshot }\n  t: { path: landing/t*.csv, format: csv, into: raw.t }"
        )
        let harness = try RunnerHarness(files: files)
        _ = try await harness.workspace().ingest(source: "t", environment: "dev")
        _ = try await harness.runner().run("queries", options: RunOptions(environment: "dev"))
        var results: [[[String]]] = []
        for index in test.columns.indices {
            results.append(Self.data(ReferenceCSV.records(try await harness.read("staged.q\(index)"))))
        }
        return results
    }

    /// The same queries in `sqlite3`, on the files imported by its `.import --csv`.
    static func referenceResults(_ test: SQLCase) throws -> [[[String]]] {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-sqlite-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let affinity: [ColumnType: String] = [.int: "INTEGER", .decimal: "REAL"]
        var commands = [
            "CREATE TABLE t (\(test.columns.map { "\"\($0.name)\" \(affinity[$0.type] ?? "TEXT")" }.joined(separator: ", ")));"
        ]
        for (index, content) in test.csvFiles.enumerated() {
            let file = folder.appendingPathComponent("t\(index).csv")
            try Data(content.utf8).write(to: file)
            commands.append(".import --csv --skip 1 '\(file.path)' t")
        }
        var results: [[[String]]] = []
        for index in test.columns.indices {
            let output = try run(commands + [".headers on", ".mode csv", test.queries(index).reference + ";"])
            results.append(Self.data(ReferenceCSV.records(output)))
        }
        return results
    }

    /// The result's rows without its header (`sqlite3` prints none for an empty result).
    static func data(_ records: [[String]]) -> [[String]] { records.filter { $0 != ["v", "n"] } }

    static func run(_ commands: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: SQLite3.path!)
        process.arguments = [":memory:"]
        let input = Data((commands.joined(separator: "\n") + "\n").utf8)
        return String(decoding: try ProcessCapture.run(process, input: input).stdout, as: UTF8.self)
    }
}

enum SQLite3 {
    static let path = ["/usr/bin/sqlite3", "/usr/local/bin/sqlite3"].first {
        FileManager.default.isExecutableFile(atPath: $0)
    }
}
