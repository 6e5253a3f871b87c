import GRDB
import SluiceCore
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
}
