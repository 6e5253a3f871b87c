import Foundation
import SluiceCore
import SluiceTestSupport
import Testing

@testable import SluiceRunner

/// Issue 22 item 2: a JSON Lines input reaches a `sql` step as the typed table the gate read (not as CSV
/// whose first record is a header), and a command step as that table in CSV.
@Suite struct JSONLinesInputTests {
    static let pipeline = """
          totals:
            steps:
              sum: { sql: models/sum.sql, inputs: [raw.orders], output: staged.totals }
              copy:
                command: [sh, -c, 'cp "$SLUICE_INPUT_RAW_ORDERS" "$SLUICE_OUTPUT_CURATED_ORDERS"']
                inputs: [raw.orders]
                output: curated.orders
        """

    @Test func aSQLStepCountsEveryRecordWithTypedColumns() async throws {
        let yaml = RunnerHarness.yaml(
            pipeline: Self.pipeline,
            datasets: """
                  staged.totals: { owner: t, classification: internal }
                  curated.orders: { owner: t, classification: internal }
                """
        ).replacingOccurrences(
            of: "path: landing/orders.csv, format: csv", with: "path: landing/orders.jsonl, format: jsonl")
        let harness = try RunnerHarness(files: [
            "sluice.yaml": yaml,
            "models/sum.sql": "SELECT count(*) AS n, sum(amount) AS total, typeof(id) AS id_type FROM raw.orders\n",
        ])
        try harness.write(
            "landing/orders.jsonl",
            #"{"id": 1, "amount": 2.5}"# + "\n" + #"{"amount": 4, "id": 2}"# + "\n"
                + #"{"id": 3, "amount": null}"# + "\n")
        _ = try await harness.workspace().ingest(source: "orders", environment: "dev")
        let run = try await harness.runner().run("totals", options: RunOptions(environment: "dev"))
        #expect(run.status == .succeeded)
        #expect(try await harness.read("staged.totals") == "n,total,id_type\n3,6.5,integer\n")
        #expect(try await harness.read("curated.orders") == "id,amount\n1,2.5\n2,4\n3,\n")
    }

    /// The table a JSON Lines file becomes reads back, by Python's csv module, as the values the records hold.
    @Test func theTableReadsBackAsTheRecordsHold() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-jsonl-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let records: [[String: Any]] = [
            ["text": "a, \"quoted\"\nnote", "n": 1, "flag": true],
            ["n": 2.5, "nested": ["b": 1, "a": [1, 2]]],
            ["text": "", "flag": false, "n": NSNull()],
        ]
        let lines = try records.map { String(decoding: try JSONSerialization.data(withJSONObject: $0), as: UTF8.self) }
        let source = folder.appendingPathComponent("in.jsonl")
        try Data(lines.joined(separator: "\n").utf8).write(to: source)
        let target = folder.appendingPathComponent("out.csv")
        #expect(try JSONLinesTable.convert(source, to: target, declared: []) == 3)
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        python.arguments = [
            "python3", "-c",
            "import csv, json, sys; print(json.dumps(list(csv.reader(open(sys.argv[1], newline='')))))",
            target.path,
        ]
        let parsed = try JSONSerialization.jsonObject(with: try ProcessCapture.run(python).stdout) as? [[String]]
        #expect(
            parsed == [
                ["flag", "n", "text", "nested"], ["true", "1", "a, \"quoted\"\nnote", ""],
                ["", "2.5", "", #"{"a":[1,2],"b":1}"#], ["false", "", "", ""],
            ])
    }
}

/// Issue 22 item 5: a `decimal` column with a `scale` is written by a `sql` step rounded half-even to it.
@Suite struct DecimalScaleTests {
    @Test func sqlOutputsAreRoundedToTheirScale() async throws {
        let yaml = RunnerHarness.yaml(
            pipeline: """
                  money:
                    steps:
                      sum: { sql: models/sum.sql, inputs: [raw.orders], output: staged.totals }
                """,
            datasets: """
                  staged.totals:
                    owner: t
                    classification: internal
                    columns: { total: { type: decimal, scale: 2 }, tie: { type: decimal, scale: 2 }, n: { type: int } }
                """)
        let harness = try RunnerHarness(files: [
            "sluice.yaml": yaml,
            "models/sum.sql": "SELECT sum(amount) AS total, 2.675 AS tie, count(*) AS n FROM raw.orders\n",
        ])
        try await harness.ingest("id,amount\n1,0.1\n2,0.2\n3,47534.19\n")
        let run = try await harness.runner().run("money", options: RunOptions(environment: "dev"))
        #expect(run.status == .succeeded)
        #expect(try await harness.read("staged.totals") == "total,tie,n\n47534.49,2.68,3\n")
    }
}
