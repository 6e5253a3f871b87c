import Foundation
import Testing

@testable import SluiceCore

/// Issue 12 item 4: cron expressions against a table of next fire times (month ends, leap days, both
/// daylight-saving changes in a time zone, day-of-month OR day-of-week), and refused expressions with the
/// place of the mistake.
@Suite struct CronScheduleTests {
    static func instant(_ text: String) -> Date {
        let formatter = ISO8601DateFormatter()
        return formatter.date(from: text)!
    }

    static let table: [(expression: String, zone: String, after: String, next: String)] = [
        ("*/15 * * * *", "UTC", "2026-01-01T00:00:00Z", "2026-01-01T00:15:00Z"),
        ("*/15 * * * *", "UTC", "2026-01-01T00:14:59Z", "2026-01-01T00:15:00Z"),
        ("0 0 31 * *", "UTC", "2026-01-31T00:00:00Z", "2026-03-31T00:00:00Z"),
        ("0 0 29 2 *", "UTC", "2025-03-01T00:00:00Z", "2028-02-29T00:00:00Z"),
        ("59 23 28-31 2 *", "UTC", "2024-02-28T23:59:00Z", "2024-02-29T23:59:00Z"),
        ("@hourly", "UTC", "2026-11-28T10:59:30Z", "2026-11-28T11:00:00Z"),
        ("@daily", "UTC", "2026-12-31T12:00:00Z", "2027-01-01T00:00:00Z"),
        ("@weekly", "UTC", "2026-11-28T00:00:00Z", "2026-11-29T00:00:00Z"),
        ("@monthly", "UTC", "2026-11-28T00:00:00Z", "2026-12-01T00:00:00Z"),
        ("@yearly", "UTC", "2026-11-28T00:00:00Z", "2027-01-01T00:00:00Z"),
        ("0 9 * * mon-fri", "Europe/Berlin", "2026-11-27T09:00:00Z", "2026-11-30T08:00:00Z"),
        ("5 4 * * 7", "UTC", "2026-11-28T00:00:00Z", "2026-11-29T04:05:00Z"),
        ("0 12 * JAN,jul sun", "UTC", "2026-06-01T00:00:00Z", "2026-07-05T12:00:00Z"),
        // Both days restricted: either matches (the Monday before the 1st).
        ("0 0 1,15 * 1", "UTC", "2026-11-28T00:00:00Z", "2026-11-30T00:00:00Z"),
        ("0 0 * * *", "Asia/Kolkata", "2026-01-01T00:00:00Z", "2026-01-01T18:30:00Z"),
        ("0 8-17/3 * * *", "UTC", "2026-01-01T12:00:00Z", "2026-01-01T14:00:00Z"),
        ("10/20 * * * *", "UTC", "2026-01-01T00:31:00Z", "2026-01-01T00:50:00Z"),
        // New York springs forward at 02:00 on 2026-03-08: 02:30 does not exist, so it fires at 03:30 EDT.
        ("30 2 * * *", "America/New_York", "2026-03-08T06:00:00Z", "2026-03-08T07:30:00Z"),
        ("30 2 * * *", "America/New_York", "2026-03-08T07:30:00Z", "2026-03-09T06:30:00Z"),
        // Berlin springs forward at 02:00 on 2026-03-29.
        ("0 2 * * *", "Europe/Berlin", "2026-03-28T12:00:00Z", "2026-03-29T01:00:00Z"),
        // New York falls back at 02:00 on 2026-11-01: 01:30 happens twice and fires the first time only.
        ("30 1 * * *", "America/New_York", "2026-11-01T04:00:00Z", "2026-11-01T05:30:00Z"),
        ("30 1 * * *", "America/New_York", "2026-11-01T05:30:00Z", "2026-11-02T06:30:00Z"),
        // An hourly schedule runs in both of them.
        ("0 * * * *", "America/New_York", "2026-11-01T05:00:00Z", "2026-11-01T06:00:00Z"),
        ("0 * * * *", "America/New_York", "2026-11-01T06:00:00Z", "2026-11-01T07:00:00Z"),
        ("*/30 * * * *", "America/New_York", "2026-11-01T05:30:00Z", "2026-11-01T06:00:00Z"),
    ]

    @Test(arguments: table)
    func nextFireTime(_ row: (expression: String, zone: String, after: String, next: String)) throws {
        let schedule = try CronSchedule(row.expression)
        let zone = try #require(TimeZone(identifier: row.zone))
        let next = schedule.next(after: Self.instant(row.after), in: zone)
        #expect(
            next == Self.instant(row.next),
            "\(row.expression) in \(row.zone) after \(row.after): \(String(describing: next))")
    }

    /// Every fire time of a few schedules over a year and more (a leap day included), against a scan of every
    /// minute: Foundation's calendar names each day, and each field is read plainly.
    @Test(arguments: ["*/7 3-5 * * *", "0 0 29 2 *", "15 10 1,31 * fri", "0 12 * * sat,sun"])
    func agreesWithAMinuteByMinuteScan(_ expression: String) throws {
        let schedule = try CronSchedule(expression)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let allowed = Self.plainFields(expression)
        let dayRule = { (day: Bool, weekday: Bool) in
            allowed.restricted ? day || weekday : day && weekday
        }
        var cursor = Self.instant("2027-12-30T00:00:00Z")
        let end = Self.instant("2029-01-02T00:00:00Z")
        var scanned: [Date] = []
        var midnight = cursor
        while midnight < end {
            let parts = calendar.dateComponents([.day, .month, .weekday], from: midnight)
            if allowed.fields[3].contains(parts.month!),
                dayRule(allowed.fields[2].contains(parts.day!), allowed.fields[4].contains(parts.weekday! - 1))
            {
                for hour in allowed.fields[1].sorted() {
                    for minute in allowed.fields[0].sorted() {
                        scanned.append(midnight + TimeInterval(hour * 3600 + minute * 60))
                    }
                }
            }
            midnight += 86_400
        }
        scanned.removeAll { $0 <= cursor || $0 >= end }
        var fired: [Date] = []
        while let next = schedule.next(after: cursor, in: calendar.timeZone), next < end {
            fired.append(next)
            cursor = next
        }
        #expect(fired == scanned)
        #expect(!fired.isEmpty)
    }

    /// The reference: each field's values read plainly (lists, ranges, steps, day names), and whether both day
    /// fields are restricted (then either may match, as in Vixie cron).
    static func plainFields(_ expression: String) -> (fields: [Set<Int>], restricted: Bool) {
        let names = ["sun": 0, "mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6]
        let fields = expression.split(separator: " ").map(String.init)
        let limits = [(0, 59), (0, 23), (1, 31), (1, 12), (0, 6)]
        let sets = (0..<5).map { index in
            Set(
                fields[index].split(separator: ",").flatMap { item -> [Int] in
                    let parts = item.split(separator: "/")
                    let step = parts.count > 1 ? Int(parts[1])! : 1
                    var low = limits[index].0
                    var high = limits[index].1
                    if parts[0] != "*" {
                        let bounds = parts[0].split(separator: "-").map { names[String($0)] ?? Int($0)! }
                        low = bounds[0]
                        high = bounds.count > 1 ? bounds[1] : (parts.count > 1 ? limits[index].1 : bounds[0])
                    }
                    return Array(stride(from: low, through: high, by: step))
                })
        }
        return (sets, fields[2] != "*" && fields[4] != "*")
    }

    @Test(arguments: [
        ("a b c d e", 0, "is not a minute"), ("60 * * * *", 0, "out of range"), ("* 24 * * *", 2, "out of range"),
        ("* * * * * *", 0, "five fields"), ("0 0 30 2 *", 4, "never"), ("*/0 * * * *", 2, "step"),
        ("5-3 * * * *", 0, "backwards"), ("@reboot", 0, "shorthand"), ("0 0 * * mon-fry", 12, "not a day of week"),
        ("0 0 * 13 *", 6, "out of range"), ("0,,5 * * * *", 2, "empty"),
    ])
    func refusedExpressionsSayWhere(_ row: (String, Int, String)) {
        do {
            _ = try CronSchedule(row.0)
            Issue.record("\(row.0) was accepted")
        } catch {
            #expect(error.offset == row.1, "\(row.0): \(error.message) at \(error.offset)")
            #expect(error.message.contains(row.2), "\(row.0): \(error.message)")
        }
    }

    /// `sluice validate` names the line and column of the mistake, inside the quotes.
    @Test func validationPointsAtTheMistake() throws {
        var files = Fixture.files
        files["sluice.yaml"] = Fixture.projectYAML.replacingOccurrences(
            of: "    steps:\n", with: "    schedule: \"0 0 * * mon-fry\"\n    timezone: Mars/Olympus\n    steps:\n")
        let project = try TemporaryProject(files: files)
        let errors = try project.errors()
        let schedule = try #require(errors.first { $0.contains("schedule") }, "\(errors)")
        let line = try #require(
            Fixture.projectYAML.components(separatedBy: "\n").firstIndex { $0 == "    steps:" }.map { $0 + 1 })
        #expect(schedule.contains("sluice.yaml:\(line):28"), "\(schedule)")
        #expect(schedule.contains("fry"))
        #expect(errors.contains { $0.contains("Mars/Olympus") && $0.contains("IANA") }, "\(errors)")
    }
}
