import Foundation
import SluiceCore
import Testing

@testable import SluiceQuality

/// Issue 11 item 4: timestamps are unique to the microsecond, and the samples of checks on typed keys
/// (`unique`, composite `unique`, `references`) show the file's own text on the right line, not the key
/// they were compared by.
@Suite struct SampleTextTests {
    let validator = ContractValidatorTests()

    @Test func microsecondsApartAreDistinct() throws {
        let dataset = try validator.dataset(
            "classification: internal\ncolumns: { at: { type: timestamp, unique: true } }")
        let report = try validator.run(
            dataset, "at\n2024-01-01T00:00:00.000001Z\n2024-01-01T00:00:00.000002Z\n2024-01-01T00:00:00.0000019Z\n")
        let check = try validator.check(report, "at.unique")
        #expect(check.unexpectedCount == 1, "only the third repeats the first (digits after the sixth are not kept)")
        #expect(check.samples.map(\.line) == [4])
    }

    @Test func aDuplicateTimestampShowsItsOwnSpelling() throws {
        let dataset = try validator.dataset(
            "classification: internal\ncolumns: { note: { type: string }, at: { type: timestamp, unique: true } }")
        // A quoted line break before the duplicate: its line is where its record starts.
        let csv = "note,at\n\"two\nlines\",2024-01-01T00:00:00Z\nb,2024-01-01 01:00:00+01:00\n"
        let check = try validator.check(try validator.run(dataset, csv), "at.unique")
        #expect(check.samples.map(\.value) == ["2024-01-01 01:00:00+01:00"])
        #expect(check.samples.map(\.line) == [4])
    }

    @Test func aCompositeDuplicateShowsEachPartAsWrittenAndMasksPII() throws {
        let dataset = try validator.dataset(
            """
            classification: internal
            pii: [email]
            columns: { id: { type: int }, day: { type: date }, email: { type: string } }
            checks:
              - { unique: [id, day] }
              - { unique: [id, email] }
            """)
        let csv = "id,day,email\n7,2024-01-01,a@x.io\n007,2024-01-01,a@x.io\n"
        let report = try validator.run(dataset, csv)
        #expect(try validator.check(report, "unique(id,day)").samples.map(\.value) == ["007,2024-01-01"])
        #expect(try validator.check(report, "unique(id,email)").samples.map(\.value) == ["007,***"])
    }

    @Test func aMissingReferenceShowsItsOwnSpelling() throws {
        let dataset = try validator.dataset(
            """
            classification: internal
            columns: { customer: { type: int } }
            checks:
              - { references: { column: customer, dataset: raw.customers, to: id } }
            """)
        let report = try validator.run(
            dataset, "customer\n1\n0042\n", references: ["references(customer→raw.customers.id)": ["1"]])
        let check = try validator.check(report, "references(customer→raw.customers.id)")
        #expect(check.samples.map(\.value) == ["0042"])
    }

    @Test func jsonLinesDuplicatesShowTheirValue() throws {
        let dataset = try validator.dataset(
            "classification: internal\ncolumns: { at: { type: timestamp, unique: true } }")
        let report = try validator.run(
            dataset, "{\"at\": \"2024-01-01T00:00:00Z\"}\n\n{\"at\": \"2024-01-01T02:00:00+02:00\"}\n", format: .jsonl)
        let check = try validator.check(report, "at.unique")
        #expect(check.samples.map(\.value) == ["2024-01-01T02:00:00+02:00"])
        #expect(check.samples.map(\.line) == [3])
    }

    /// Many pieces read at once: every sample still names its own line and text.
    @Test func samplesAcrossPiecesKeepTheirLines() throws {
        let dataset = try validator.dataset("classification: internal\ncolumns: { n: { type: int, unique: true } }")
        var csv = "n\n"
        for index in 0..<6_000 { csv += index % 1_000 == 999 ? "+\(index - 500)\n" : "\(index)\n" }
        let report = try ContractValidator(
            dataset: dataset, format: .csv, now: ContractValidatorTests.now, chunkSize: 4096
        )
        .validate([(name: "t.csv", source: ConcatenatedByteSource([Data(csv.utf8)]))])
        let check = try validator.check(report, "n.unique")
        #expect(check.unexpectedCount == 6)
        #expect(check.samples.map(\.value) == ["+499", "+1499", "+2499", "+3499", "+4499"])
        #expect(check.samples.map(\.line) == [1001, 2001, 3001, 4001, 5001])
    }
}
