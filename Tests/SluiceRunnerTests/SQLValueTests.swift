import Foundation
import GRDB
import SluiceCore
import SluiceQuality
import SluiceTestSupport
import Testing

@testable import SluiceRunner

/// Issue 11 item 2: a declared type reaches SQL as its canonical value, parsed as the gate parses it.
@Suite struct SQLValueTests {
    @Test(arguments: [
        ("true", 1), ("TRUE", 1), ("t", 1), ("yes", 1), ("Y", 1), ("1", 1), ("false", 0), ("No", 0), ("0", 0),
    ])
    func boolSpellingsBecomeZeroOrOne(_ spelling: (String, Int64)) throws {
        let value = SQLStep.sqlValue(spelling.0, type: .bool).databaseValue
        #expect(value == spelling.1.databaseValue, "\(spelling.0) → \(value)")
    }

    @Test func numbersAreNumbersAndTheRestStaysText() {
        #expect(SQLStep.sqlValue("-42", type: .int).databaseValue == Int64(-42).databaseValue)
        #expect(SQLStep.sqlValue("2.5", type: .decimal).databaseValue == 2.5.databaseValue)
        #expect(SQLStep.sqlValue("maybe", type: .bool).databaseValue == "maybe".databaseValue)
        #expect(SQLStep.sqlValue("12", type: nil).databaseValue == "12".databaseValue)
    }

    /// `WHERE wet` counts every row the contract reads as true, whatever its spelling.
    @Test func whereOnABoolColumnCountsEveryTrueSpelling() throws {
        let queue = try DatabaseQueue()
        let count = try queue.write { db -> Int in
            try db.execute(sql: "CREATE TABLE t (wet INTEGER)")
            for spelling in ["true", "yes", "TRUE", "t", "1", "false", "no", "0"] {
                try db.execute(sql: "INSERT INTO t VALUES (?)", arguments: [SQLStep.sqlValue(spelling, type: .bool)])
            }
            return try Int.fetchOne(db, sql: "SELECT count(*) FROM t WHERE wet") ?? -1
        }
        #expect(count == 5)
    }

    /// Every spelling of one instant reaches SQL as one text, in UTC with six fraction digits, so `=`, `<`,
    /// `GROUP BY` and SQLite's date functions agree with the gate.
    @Test(arguments: [
        "2024-09-03T22:28:44.086+02:00", "2024-09-03 20:28:44.086", "2024-09-03T20:28:44.086Z",
        "2024-09-03T20:28:44.086000Z", "2024-09-03T21:28:44.086+0100",
    ])
    func timestampSpellingsBecomeOneCanonicalText(_ spelling: String) {
        let value = SQLStep.sqlValue(spelling, type: .timestamp).databaseValue
        #expect(value == "2024-09-03T20:28:44.086000Z".databaseValue, "\(spelling) → \(value)")
    }

    @Test func datesInADeclaredFormatBecomeISO() throws {
        let format = try #require(DateFormat("%d/%m/%Y"))
        #expect(SQLStep.sqlValue("03/09/2024", type: .date, format: format).databaseValue == "2024-09-03".databaseValue)
        #expect(SQLStep.sqlValue("2024-09-03", type: .date).databaseValue == "2024-09-03".databaseValue)
        #expect(SQLStep.sqlValue("not a date", type: .date).databaseValue == "not a date".databaseValue)
    }

    /// What a sql step writes for a declared column is the canonical spelling of the value SQLite returned.
    @Test func outputsAreWrittenCanonically() {
        func column(_ type: ColumnType, format: DateFormat? = nil) -> ColumnSpec {
            var spec = ColumnSpec(name: "c", type: type, location: SourceLocation(file: "t", line: 1, column: 1))
            spec.format = format
            return spec
        }
        #expect(SQLStep.outputText(Int64(1).databaseValue, column: column(.bool)) == "true")
        #expect(SQLStep.outputText(Int64(0).databaseValue, column: column(.bool)) == "false")
        #expect(SQLStep.outputText("yes".databaseValue, column: column(.bool)) == "true")
        #expect(SQLStep.outputText(2.0.databaseValue, column: column(.int)) == "2")
        #expect(SQLStep.outputText("007".databaseValue, column: column(.int)) == "7")
        #expect(SQLStep.outputText(2.5.databaseValue, column: column(.decimal)) == "2.5")
        #expect(
            SQLStep.outputText("2024-09-03 22:28:44+02:00".databaseValue, column: column(.timestamp))
                == "2024-09-03T20:28:44.000000Z")
        #expect(SQLStep.outputText("maybe".databaseValue, column: column(.bool)) == "maybe", "left for the gate")
        #expect(SQLStep.outputText(Int64(1).databaseValue, column: nil) == "1")
        #expect(SQLStep.outputText(DatabaseValue.null, column: column(.int)) == "")
    }

    /// The canonical spelling against Foundation's ISO 8601 formatter, on generated instants from 1600 to 9999
    /// (before the Gregorian reform Foundation switches to the Julian calendar; ISO 8601 and Sluice do not),
    /// and read back by the gate's parser.
    @Test func canonicalTimestampsAgreeWithFoundation() {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        var generator = SplitMix(seed: 2)
        let first: Int64 = -11_676_096_000  // 1600-01-01T00:00:00Z
        let last: Int64 = 253_402_300_799  // 9999-12-31T23:59:59Z
        for _ in 0..<2_000 {
            let seconds = first + Int64(generator.next() % UInt64(last - first))
            let micros = Int64(generator.next() % 1_000_000)
            let text = CivilDate.canonicalTimestamp(microseconds: seconds * 1_000_000 + micros)
            let expected = formatter.string(from: Date(timeIntervalSince1970: Double(seconds)))
            // Foundation writes milliseconds; compare everything but the fraction, then the fraction exactly.
            #expect(text.prefix(19) == expected.prefix(19), "\(text) vs \(expected)")
            #expect(text.dropFirst(20).prefix(6) == String(format: "%06d", micros) && text.hasSuffix("Z"))
            var bytes = Array(text.utf8)
            let back = bytes.withUnsafeMutableBytes { FieldParser.timestamp(UnsafeRawBufferPointer($0)) }
            #expect(back == seconds * 1_000_000 + micros, "\(text) reads back")
        }
    }

    /// Every day from year 1 to 9999 turns into a date and back to the same day.
    @Test func civilDatesRoundTrip() {
        let first = CivilDate.daysFromCivil(year: 1, month: 1, day: 1)
        let last = CivilDate.daysFromCivil(year: 9999, month: 12, day: 31)
        var previous: (year: Int, month: Int, day: Int)?
        for days in first...last {
            let date = CivilDate.civilFromDays(days)
            let back = CivilDate.daysFromCivil(year: date.year, month: date.month, day: date.day)
            if back != days || previous.map({ !(date > $0) }) == true {
                Issue.record("day \(days) → \(date), after \(String(describing: previous))")
                return
            }
            previous = date
        }
    }
}
