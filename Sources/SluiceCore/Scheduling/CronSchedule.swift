import Foundation

/// A pipeline's `schedule:`: five cron fields (minute, hour, day of month, month, day of week), each a list of
/// `*`, values, ranges and steps (`*/15`, `1-5`, `0,30`, `9-17/2`), with English names for months and days
/// (`JAN`, `mon-fri`), or a shorthand (`@hourly`, `@daily`, `@weekly`, `@monthly`, `@yearly`). As in Vixie cron, a
/// day matches when the day of month and the day of week both match, or either does when both are restricted
/// (neither starts with `*`). Times are wall-clock times in the schedule's time zone: a time a daylight-saving
/// change skips fires when the clocks have gone forward (`02:30` on the night the clocks go from 02:00 to 03:00
/// fires at 03:30), and a time that happens twice fires the first time only, unless the hour field starts with
/// `*` (`@hourly`, `*/10 * * * *`): then it fires both times, so an hourly pipeline runs every hour.
public struct CronSchedule: Hashable, Sendable, CustomStringConvertible {
    public let expression: String
    let minutes: UInt64
    let hours: UInt64
    let days: UInt64
    let months: UInt64
    let weekdays: UInt64
    let daysRestricted: Bool
    let weekdaysRestricted: Bool
    /// Whether the hour field starts with `*`: then a wall-clock time that happens twice fires both times.
    let hoursWildcard: Bool

    public var description: String { expression }

    static let shorthands = [
        "@yearly": "0 0 1 1 *", "@annually": "0 0 1 1 *", "@monthly": "0 0 1 * *", "@weekly": "0 0 * * 0",
        "@daily": "0 0 * * *", "@midnight": "0 0 * * *", "@hourly": "0 * * * *",
    ]

    public init(_ expression: String) throws(CronProblem) {
        self.expression = expression
        let trimmed = expression.trimmingCharacters(in: .whitespaces)
        var text = trimmed
        if trimmed.hasPrefix("@") {
            guard let expanded = Self.shorthands[trimmed.lowercased()] else {
                throw CronProblem(
                    "unknown shorthand \(NameRules.quoted(trimmed)) (use @hourly, @daily, @weekly, @monthly or @yearly)",
                    offset: Self.offset(of: trimmed, in: expression))
            }
            text = expanded
        }
        let fields = Self.fields(text)
        guard fields.count == 5 else {
            throw CronProblem(
                "a schedule has five fields (minute hour day-of-month month day-of-week), not \(fields.count)",
                offset: 0)
        }
        let shift = trimmed.hasPrefix("@") ? 0 : Self.offset(of: trimmed, in: expression)
        func parse(_ index: Int) throws(CronProblem) -> UInt64 {
            try CronField.specs[index].parse(fields[index].text, offset: shift + fields[index].offset)
        }
        minutes = try parse(0)
        hours = try parse(1)
        days = try parse(2)
        months = try parse(3)
        let weekdayBits = try parse(4)
        // 7 is Sunday too.
        weekdays = (weekdayBits | (weekdayBits >> 7)) & 0x7F
        hoursWildcard = fields[1].text.hasPrefix("*")
        daysRestricted = !fields[2].text.hasPrefix("*")
        weekdaysRestricted = !fields[4].text.hasPrefix("*")
        if !Self.canFire(days: days, months: months, weekdaysRestricted: weekdaysRestricted) {
            throw CronProblem(
                "day \(fields[2].text) never falls in month \(fields[3].text); the schedule would never fire",
                offset: shift + fields[2].offset)
        }
    }

    /// Whether some month allows some day of the month (`30 2` never happens unless a weekday may match too).
    static func canFire(days: UInt64, months: UInt64, weekdaysRestricted: Bool) -> Bool {
        if weekdaysRestricted { return true }
        let longest = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        return (1...12).contains { month in
            months & (1 << UInt64(month)) != 0 && days & ((1 << UInt64(longest[month] + 1)) - 2) != 0
        }
    }

    /// The fields with their offsets in the text.
    static func fields(_ text: String) -> [(text: String, offset: Int)] {
        var result: [(String, Int)] = []
        var current = ""
        var start = 0
        for (offset, character) in text.enumerated() {
            if character == " " || character == "\t" {
                if !current.isEmpty { result.append((current, start)) }
                current = ""
            } else {
                if current.isEmpty { start = offset }
                current.append(character)
            }
        }
        if !current.isEmpty { result.append((current, start)) }
        return result
    }

    private static func offset(of part: String, in whole: String) -> Int {
        whole.range(of: part).map { whole.distance(from: whole.startIndex, to: $0.lowerBound) } ?? 0
    }

    /// Whether the schedule fires on this local day (`weekday` 0 is Sunday).
    func matches(month: Int, day: Int, weekday: Int) -> Bool {
        guard months & (1 << UInt64(month)) != 0 else { return false }
        let dayMatches = days & (1 << UInt64(day)) != 0
        let weekdayMatches = weekdays & (1 << UInt64(weekday)) != 0
        return daysRestricted && weekdaysRestricted ? dayMatches || weekdayMatches : dayMatches && weekdayMatches
    }

    /// The last time at or before `instant` at which the schedule fired in `timeZone` (within 28 years).
    public func latest(atOrBefore instant: Date, in timeZone: TimeZone) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let end = Date(timeIntervalSince1970: (instant.timeIntervalSince1970 / 60).rounded(.down) * 60)
        let local = calendar.dateComponents([.year, .month, .day], from: end)
        guard let year = local.year, let month = local.month, let day = local.day else { return nil }
        let last = CivilDate.daysFromCivil(year: year, month: month, day: day) + 1
        for days in stride(from: last, through: last - 366 * 28, by: -1) {
            let date = CivilDate.civilFromDays(days)
            let weekday = Int(((days + 4) % 7 + 7) % 7)
            guard matches(month: date.month, day: date.day, weekday: weekday) else { continue }
            for hour in (0..<24).reversed() where hours & (1 << UInt64(hour)) != 0 {
                for minute in (0..<60).reversed() where minutes & (1 << UInt64(minute)) != 0 {
                    let components = DateComponents(
                        year: date.year, month: date.month, day: date.day, hour: hour, minute: minute)
                    guard let candidate = calendar.date(from: components) else { continue }
                    if hoursWildcard, let repeated = Self.repeated(candidate, in: calendar), repeated <= end {
                        return repeated
                    }
                    if candidate <= end { return candidate }
                }
            }
        }
        return nil
    }

    /// The second time the wall clock shows `date`'s time, when the clocks went back over it.
    static func repeated(_ date: Date, in calendar: Calendar) -> Date? {
        let zone = calendar.timeZone
        let back = zone.secondsFromGMT(for: date) - zone.secondsFromGMT(for: date + 3 * 3600)
        guard back > 0 else { return nil }
        let later = date + TimeInterval(back)
        let parts: Set<Calendar.Component> = [.day, .hour, .minute]
        return calendar.dateComponents(parts, from: later) == calendar.dateComponents(parts, from: date) ? later : nil
    }

    /// The first time after `instant` (strictly) at which the schedule fires in `timeZone`; `nil` when it does
    /// not fire within the next 28 years (every calendar, leap days included, repeats by then).
    public func next(after instant: Date, in timeZone: TimeZone) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let seconds = instant.timeIntervalSince1970
        let start = Date(timeIntervalSince1970: (seconds / 60).rounded(.down) * 60 + 60)
        let local = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: start)
        guard let year = local.year, let month = local.month, let day = local.day else { return nil }
        // The day before too: a time a daylight-saving change moved may land on the next day.
        let first = CivilDate.daysFromCivil(year: year, month: month, day: day) - 1
        for days in first...(first + 366 * 28) {
            let date = CivilDate.civilFromDays(days)
            let weekday = Int(((days + 4) % 7 + 7) % 7)
            guard matches(month: date.month, day: date.day, weekday: weekday) else { continue }
            for hour in 0..<24 where hours & (1 << UInt64(hour)) != 0 {
                for minute in 0..<60 where minutes & (1 << UInt64(minute)) != 0 {
                    let components = DateComponents(
                        year: date.year, month: date.month, day: date.day, hour: hour, minute: minute)
                    guard let candidate = calendar.date(from: components) else { continue }
                    if candidate >= start { return candidate }
                    if hoursWildcard, let repeated = Self.repeated(candidate, in: calendar), repeated >= start {
                        return repeated
                    }
                }
            }
        }
        return nil
    }
}

/// Why a schedule is not a cron expression, and where in it (characters from its start).
public struct CronProblem: Error, Sendable, CustomStringConvertible {
    public var message: String
    public var offset: Int

    public init(_ message: String, offset: Int) {
        self.message = message
        self.offset = offset
    }

    public var description: String { message }
}

/// One field's range and names.
struct CronField {
    var name: String
    var range: ClosedRange<Int>
    var names: [String] = []

    static let specs = [
        CronField(name: "minute", range: 0...59), CronField(name: "hour", range: 0...23),
        CronField(name: "day of month", range: 1...31),
        CronField(
            name: "month", range: 1...12,
            names: ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]),
        CronField(name: "day of week", range: 0...7, names: ["sun", "mon", "tue", "wed", "thu", "fri", "sat"]),
    ]

    /// The field's values as bits (bit N for value N).
    func parse(_ text: String, offset: Int) throws(CronProblem) -> UInt64 {
        var bits: UInt64 = 0
        var position = offset
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            bits |= try parseItem(String(item), offset: position)
            position += item.count + 1
        }
        return bits
    }

    private func parseItem(_ item: String, offset: Int) throws(CronProblem) -> UInt64 {
        guard !item.isEmpty else { throw CronProblem("an empty item in the \(name) field", offset: offset) }
        let parts = item.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count <= 2 else { throw CronProblem("\(NameRules.quoted(item)) has two steps", offset: offset) }
        var step = 1
        if parts.count == 2 {
            guard let parsed = Int(parts[1]), parsed > 0, parsed <= range.upperBound else {
                throw CronProblem(
                    "the step in \(NameRules.quoted(item)) must be a number from 1 to \(range.upperBound)",
                    offset: offset + parts[0].count + 1)
            }
            step = parsed
        }
        let span: ClosedRange<Int>
        if parts[0] == "*" {
            span = range
        } else {
            let bounds = parts[0].split(separator: "-", omittingEmptySubsequences: false)
            guard bounds.count <= 2 else {
                throw CronProblem("\(NameRules.quoted(item)) is not a range", offset: offset)
            }
            let low = try value(String(bounds[0]), offset: offset)
            let high = bounds.count == 2 ? try value(String(bounds[1]), offset: offset + bounds[0].count + 1) : nil
            if let high, high < low {
                throw CronProblem("the range \(parts[0]) in the \(name) field runs backwards", offset: offset)
            }
            // `5/15` means from 5 to the end in steps of 15.
            span = low...(high ?? (parts.count == 2 ? range.upperBound : low))
        }
        var bits: UInt64 = 0
        for value in stride(from: span.lowerBound, through: span.upperBound, by: step) { bits |= 1 << UInt64(value) }
        return bits
    }

    private func value(_ text: String, offset: Int) throws(CronProblem) -> Int {
        if let index = names.firstIndex(of: text.lowercased()) { return index + (range.lowerBound == 1 ? 1 : 0) }
        guard let number = Int(text), text.allSatisfy(\.isASCII) else {
            let known = names.isEmpty ? "" : " (or a name: \(names.joined(separator: " ")))"
            throw CronProblem(
                "\(NameRules.quoted(text)) is not a \(name) (\(range.lowerBound)–\(range.upperBound)\(known))",
                offset: offset)
        }
        guard range.contains(number) else {
            throw CronProblem(
                "\(number) is out of range for the \(name) field (\(range.lowerBound)–\(range.upperBound))",
                offset: offset)
        }
        return number
    }
}
