import Foundation
import SluiceCore
import SluiceStore
import Testing

@testable import SluiceQuality

@Suite struct ContractValidatorTests {
    static let now = Timestamp(milliseconds: 1_795_000_000_000)  // 2026-11-18

    func dataset(_ yaml: String) throws -> Dataset {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-q-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let project = """
            project: q
            environments:
              dev: { lifecycle: { expire_after_idle: 30d } }
            datasets:
              raw.customers: { owner: x, classification: internal, columns: { id: { type: int } } }
              raw.t:
                owner: x
            \(yaml.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))

            """
        try Data(project.utf8).write(to: folder.appendingPathComponent("sluice.yaml"))
        let loaded = try ProjectLoader(files: LocalFileSource()).loadValidated(root: folder)
        return try #require(loaded.project.datasets[DatasetName("raw.t")!])
    }

    func run(
        _ dataset: Dataset, _ text: String, format: DataFormat = .csv, references: [String: Set<String>?] = [:]
    ) throws -> ValidationReport {
        try ContractValidator(dataset: dataset, format: format, references: references, now: Self.now)
            .validate([(name: "t.csv", source: ConcatenatedByteSource([Data(text.utf8)]))])
    }

    func check(_ report: ValidationReport, _ id: String) throws -> CheckResult {
        try #require(report.checks.first { $0.id == id }, "no check \(id) in \(report.checks.map(\.id))")
    }

    static let contract = """
        classification: confidential
        pii: [email]
        columns:
          id: { type: int, required: true, unique: true }
          email: { type: string, pattern: '^[^@\\s]+@[^@\\s]+$' }
          amount: { type: decimal, min: 0, max: 100 }
          status: { type: string, in: [new, paid] }
          code: { type: string, min_length: 2, max_length: 3 }
          day: { type: date }
          at: { type: timestamp }
          flag: { type: bool, severity: warn }
        checks:
          - { row_count: { min: 1, max: 10 } }
          - { unique: [status, code] }
          - { freshness: { column: at, max_age: 7d } }
        """

    @Test func everyCheckPassesOnGoodData() throws {
        let report = try run(
            try dataset(Self.contract),
            """
            id,email,amount,status,code,day,at,flag
            1,a@x.io,0,new,ab,2026-11-01,2026-11-17T10:00:00Z,true
            2,b@x.io,100,paid,abc,2026-11-02,2026-11-17T11:00:00Z,false

            """)
        #expect(report.passed, "\(report.failedChecks)")
        #expect(report.rows == 2 && report.invalidRows == 0)
        #expect(report.checks.allSatisfy { $0.success })
        #expect(report.checks.count == 20)
    }

    @Test func everyCheckFailsOnBadData() throws {
        let report = try run(
            try dataset(Self.contract),
            """
            id,email,amount,status,code,day,at,flag
            1,not-an-email,-1,lost,a,2026-13-01,2026-11-01T10:00:00Z,maybe
            1,b@x.io,101,paid,abcd,2026-11-02,2026-11-02T11:00:00Z,true
            ,c@x.io,5,paid,abcd,2026-11-02,2026-11-02T11:00:00Z,true
            x,d@x.io,5,new,ab,2026-11-02,2026-11-02T11:00:00Z,true

            """)
        #expect(!report.passed)
        for (id, failures) in [
            ("id.required", 1), ("id.type", 1), ("id.unique", 1), ("email.pattern", 1), ("amount.min", 1),
            ("amount.max", 1),
            ("status.in", 1), ("code.min_length", 1), ("code.max_length", 2), ("day.type", 1), ("flag.type", 1),
            ("unique(status,code)", 1),
        ] {
            #expect(try check(report, id).unexpectedCount == Int64(failures), "\(id)")
        }
        #expect(try check(report, "freshness(at)").message?.contains("older than 1w") == true)
        #expect(try check(report, "flag.type").severity == .warn)
        // Every row fails some error check except none: all four are invalid.
        #expect(report.invalidRows == 4)
        #expect(report.batchProblems.contains { $0.hasPrefix("freshness(at)") })
        // PII is masked in samples, other columns are not.
        #expect(try check(report, "email.pattern").samples.first?.value == "***")
        #expect(try check(report, "status.in").samples.first?.value == "lost")
        #expect(try check(report, "status.in").samples.first?.line == 2)
        let percent = try check(report, "code.max_length").unexpectedPercent
        #expect(percent == 50)
    }

    @Test func rowCountAndSchemaProblemsFailTheBatch() throws {
        let report = try run(try dataset(Self.contract), "id,email,extra\n")
        #expect(!report.passed)
        #expect(report.batchProblems.contains { $0.contains("missing columns amount, status, code, day, at, flag") })
        #expect(report.batchProblems.contains { $0.contains("columns not in the contract: \"extra\"") })
        #expect(report.batchProblems.contains { $0.contains("found 0 rows, need at least 1") })
    }

    /// Issue 11 item 8: a declared spelling is how the gate reads a date or timestamp, uniqueness included.
    @Test func formattedDatesAreReadAsDeclared() throws {
        let yaml = """
            classification: internal
            columns:
              day: { type: date, format: "%d/%m/%Y", unique: true }
              at: { type: timestamp, format: "%b %d %Y %I:%M %p", required: true }
            """
        let text =
            "day,at\n25/12/2026,Dec 25 2026 01:30 PM\n2026-12-26,dec 26 2026 12:00 am\n1/2/2026,Jan 1 2026 9:00 AM\n01/02/2026,Feb 30 2026 1:00 PM\n"
        let report = try run(try dataset(yaml), text)
        #expect(try check(report, "day.type").samples.map(\.line) == [3])
        #expect(try check(report, "at.type").samples.map(\.line) == [5])
        #expect(try check(report, "day.unique").samples.map(\.line) == [5])
    }

    /// Issue 11 item 9: a column named twice is refused, naming it.
    @Test func aDuplicateHeaderNameFailsTheBatch() throws {
        let yaml = "classification: internal\ncolumns:\n  id: { type: int }\n  v: { type: int }"
        let report = try run(try dataset(yaml), "id,v,v\n1,2,x\n")
        #expect(!report.passed)
        #expect(
            report.batchProblems.contains { $0.contains("the header names \"v\" more than once") },
            "\(report.batchProblems)")
    }

    @Test func referencesCheckEveryValue() throws {
        let target = try dataset(
            """
            classification: internal
            columns: { customer_id: { type: int } }
            checks: [ { references: { column: customer_id, dataset: raw.customers, to: id } } ]
            """)
        let id = "references(customer_id→raw.customers.id)"
        let good = try run(target, "customer_id\n1\n007\n", references: [id: ["1", "7"]])
        #expect(good.passed)
        let bad = try run(target, "customer_id\n1\n3\n", references: [id: ["1", "7"]])
        #expect(try check(bad, id).unexpectedCount == 1 && bad.invalidRows == 1)
        let missing = try run(target, "customer_id\n1\n", references: [id: nil])
        #expect(!missing.passed)
        #expect(try check(missing, id).message?.contains("no data") == true)
    }

    /// Issue 22 item 4: a `references` target column with a `format:` is read by it, as the checked column
    /// is, so the same dates written the same way match (and the same date written otherwise too).
    @Test func referencesReadATargetColumnByItsFormat() throws {
        let target = try dataset(
            """
            classification: internal
            columns: { day: { type: date, format: "%d/%m/%Y" } }
            checks: [ { references: { column: day, dataset: raw.customers, to: id } } ]
            """)
        let id = "references(day→raw.customers.id)"
        let values = try ContractGate().columnValues(
            column: "day", type: .date, dateFormat: DateFormat("%d/%m/%Y"), format: .csv,
            delimiter: UInt8(ascii: ","), data: [Data("day\n03/09/2024\n04/09/2024\n".utf8)])
        #expect(values.count == 2)
        let report = try run(target, "day\n03/09/2024\n04/09/2024\n", references: [id: values])
        #expect(report.passed, "\(report.summary)")
        let bad = try run(target, "day\n05/09/2024\n", references: [id: values])
        #expect(try check(bad, id).unexpectedCount == 1)
    }

    /// Issue 22 item 5: min and max compare exact decimal values, not the doubles they round to.
    @Test func minAndMaxAreExactForDecimals() throws {
        let target = try dataset(
            "classification: internal\ncolumns: { amount: { type: decimal, min: 0.1, max: 10000 } }")
        let report = try run(
            target, "amount\n10000\n10000.0000000000000001\n0.1\n0.09999999999999999999\n10000.000\n")
        #expect(try check(report, "amount.max").unexpectedCount == 1)
        #expect(try check(report, "amount.min").unexpectedCount == 1)
        #expect(report.invalidRows == 2)
    }

    /// Issue 22 item 13: a JSON Lines record naming a key twice is a row error, not one of its values picked
    /// silently; keys in nested values, and text that looks like keys, are not counted.
    @Test func aRepeatedKeyInAJSONLinesRecordIsARowError() throws {
        let target = try dataset("classification: internal\ncolumns: { a: { type: int }, b: { type: string } }")
        let text = """
            {"a": 1, "b": "x"}
            {"a": 1, "a": 2, "b": "y"}
            {"a": 3, "\\u0062": "z", "b": "w"}
            {"a": 4, "b": "{\\"a\\": 1, \\"a\\": 2}"}

            """
        let report = try run(target, text, format: .jsonl)
        let parse = try check(report, "parse")
        #expect(parse.unexpectedCount == 2, "\(report.summary)")
        #expect(parse.samples.map(\.line) == [2, 3])
        #expect(report.summary.contains("more than once"), "\(report.summary)")
    }

    @Test func malformedRowsAreRowErrorsWithLines() throws {
        let report = try run(
            try dataset("classification: internal\ncolumns: { a: { type: int }, b: { type: string } }"),
            "a,b\n1,x\n2\n3,\"open\n4,y\n")
        let parse = try check(report, "parse")
        #expect(parse.unexpectedCount == 2)
        #expect(parse.samples.map(\.line) == [3, 4])
        #expect(parse.samples.map(\.value) == ["expected 2 fields, found 1", "a quoted field is never closed"])
    }

    @Test func restrictedDatasetsMaskEverything() throws {
        let report = try run(try dataset("classification: restricted\ncolumns: { a: { type: int } }"), "a\nsecret\n")
        #expect(try check(report, "a.type").samples.first?.value == "***")
    }

    @Test func jsonLinesAgainstAContract() throws {
        let set = try dataset(
            "classification: internal\ncolumns: { id: { type: int, required: true }, ok: { type: bool } }")
        let report = try run(set, "{\"id\":1,\"ok\":true}\n{\"ok\":false}\n{\"id\":\"x\"}\nnot json\n", format: .jsonl)
        #expect(report.rows == 4 && report.invalidRows == 3)
        #expect(try check(report, "id.required").samples.first?.line == 2)
        #expect(try check(report, "parse").samples.first?.line == 4)
        // Issue 11 item 5: a missing key is not a null; it refuses the batch, as a missing CSV column does.
        #expect(
            report.batchProblems == ["t.csv line 2: missing keys id", "t.csv line 3: missing keys ok"],
            "\(report.batchProblems)")
    }

    @Test func jsonLinesWithAnUnknownOrMisspeltKeyFailTheBatch() throws {
        let set = try dataset("classification: internal\ncolumns: { id: { type: int }, ok: { type: bool } }")
        let report = try run(set, "{\"id\":1,\"ok\":null}\n{\"id\":2,\"okk\":true}\n", format: .jsonl)
        #expect(!report.passed)
        #expect(
            report.batchProblems == ["t.csv line 2: missing keys ok; keys not in the contract: \"okk\""],
            "\(report.batchProblems)")
    }
}
