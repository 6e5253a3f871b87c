/// A strftime-style spelling for a `date` or `timestamp` column (`format: "%d/%m/%Y"`, `"%b %d %Y"`,
/// `"%m/%d/%Y %I:%M %p"`), parsed without Foundation. Directives: `%Y` four-digit year, `%y` two-digit
/// year (69–99 → 19xx, 00–68 → 20xx), `%m` month, `%d` day, `%e` day (a leading space allowed), `%b` or
/// `%B` English month name (abbreviated or full, any case), `%H` hour 0–23, `%I` hour 1–12 with `%p`
/// (AM/PM), `%M` minutes, `%S` seconds, `%f` fraction of a second, `%z` `Z`, `±HH:MM` or `±HHMM`, `%%`.
/// Numbers take one or two digits except `%Y`. Any other character must match itself.
public struct DateFormat: Sendable, Hashable {
    enum Piece: Sendable, Hashable {
        case literal(UInt8)
        case year4, year2, month, monthName, day, spacedDay, hour24, hour12, minute, second, fraction, ampm, zone
    }

    let pieces: [Piece]
    /// The format as written.
    public let text: String

    /// `nil` for a format with an unknown directive (the message names it via `problem`).
    public init?(_ text: String) {
        guard let pieces = try? Self.compile(text) else { return nil }
        self.pieces = pieces
        self.text = text
    }

    /// Why a format cannot be used, for the operator; `nil` when it can.
    public static func problem(_ text: String) -> String? {
        do {
            _ = try compile(text)
            return nil
        } catch let message as FormatProblem {
            return message.text
        } catch {
            return "\(error)"
        }
    }

    struct FormatProblem: Error { let text: String }

    static func compile(_ text: String) throws -> [Piece] {
        var pieces: [Piece] = []
        var bytes = Array(text.utf8)[...]
        while let byte = bytes.popFirst() {
            guard byte == UInt8(ascii: "%") else {
                pieces.append(.literal(byte))
                continue
            }
            guard let directive = bytes.popFirst() else { throw FormatProblem(text: "the format ends with a lone %") }
            switch directive {
            case UInt8(ascii: "Y"): pieces.append(.year4)
            case UInt8(ascii: "y"): pieces.append(.year2)
            case UInt8(ascii: "m"): pieces.append(.month)
            case UInt8(ascii: "b"), UInt8(ascii: "B"): pieces.append(.monthName)
            case UInt8(ascii: "d"): pieces.append(.day)
            case UInt8(ascii: "e"): pieces.append(.spacedDay)
            case UInt8(ascii: "H"): pieces.append(.hour24)
            case UInt8(ascii: "I"): pieces.append(.hour12)
            case UInt8(ascii: "M"): pieces.append(.minute)
            case UInt8(ascii: "S"): pieces.append(.second)
            case UInt8(ascii: "f"): pieces.append(.fraction)
            case UInt8(ascii: "p"): pieces.append(.ampm)
            case UInt8(ascii: "z"): pieces.append(.zone)
            case UInt8(ascii: "%"): pieces.append(.literal(UInt8(ascii: "%")))
            default:
                throw FormatProblem(
                    text:
                        "unknown directive %\(String(decoding: [directive], as: UTF8.self)) (use %Y %y %m %b %d %e %H %I %M %S %f %p %z %%)"
                )
            }
        }
        let has = { (piece: Piece) in pieces.contains(piece) }
        guard has(.year4) || has(.year2), has(.month) || has(.monthName), has(.day) || has(.spacedDay) else {
            throw FormatProblem(text: "a format needs a year (%Y or %y), a month (%m or %b) and a day (%d or %e)")
        }
        if has(.hour12) != has(.ampm) { throw FormatProblem(text: "%I and %p go together") }
        return pieces
    }

    /// Days since 1970-01-01 (a date column): the value must hold nothing but a date.
    public func days(_ bytes: UnsafeRawBufferPointer) -> Int64? {
        guard let fields = parse(bytes), fields.hasTime == false else { return nil }
        return CivilDate.daysFromCivil(year: fields.year, month: fields.month, day: fields.day)
    }

    /// Microseconds since 1970 in UTC (a timestamp column); no `%z` means UTC.
    public func microseconds(_ bytes: UnsafeRawBufferPointer) -> Int64? {
        guard let fields = parse(bytes) else { return nil }
        let days = CivilDate.daysFromCivil(year: fields.year, month: fields.month, day: fields.day)
        let seconds = Int64(fields.hour * 3_600 + fields.minute * 60 + fields.second) - Int64(fields.offsetMinutes * 60)
        return days * 86_400_000_000 + seconds * 1_000_000 + Int64(fields.microseconds)
    }

    struct Fields {
        var year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0, microseconds = 0, offsetMinutes = 0
        var pm: Bool?
        var hasTime = false
    }

    func parse(_ bytes: UnsafeRawBufferPointer) -> Fields? {
        var fields = Fields()
        var index = 0
        func digits(_ minimum: Int, _ maximum: Int) -> Int? {
            var value = 0
            var count = 0
            while count < maximum, index < bytes.count, bytes[index] &- UInt8(ascii: "0") < 10 {
                value = value * 10 + Int(bytes[index] &- UInt8(ascii: "0"))
                index += 1
                count += 1
            }
            return count >= minimum ? value : nil
        }
        for piece in pieces {
            switch piece {
            case .literal(let byte):
                guard index < bytes.count, bytes[index] == byte else { return nil }
                index += 1
            case .year4: guard let value = digits(4, 4) else { return nil }; fields.year = value
            case .year2:
                guard let value = digits(2, 2) else { return nil };
                fields.year = value < 69 ? 2000 + value : 1900 + value
            case .month: guard let value = digits(1, 2) else { return nil }; fields.month = value
            case .monthName: guard let value = monthName(bytes, &index) else { return nil }; fields.month = value
            case .day: guard let value = digits(1, 2) else { return nil }; fields.day = value
            case .spacedDay:
                if index < bytes.count, bytes[index] == UInt8(ascii: " ") { index += 1 }
                guard let value = digits(1, 2) else { return nil }
                fields.day = value
            case .hour24, .hour12:
                guard let value = digits(1, 2) else { return nil }
                fields.hour = value
                fields.hasTime = true
                if piece == .hour12 { guard (1...12).contains(value) else { return nil } }
            case .minute: guard let value = digits(1, 2), value < 60 else { return nil }; fields.minute = value
            case .second: guard let value = digits(1, 2), value < 60 else { return nil }; fields.second = value
            case .fraction:
                let start = index
                guard let value = digits(1, 9) else { return nil }
                let count = index - start
                fields.microseconds = count >= 6 ? value / Self.power(count - 6) : value * Self.power(6 - count)
            case .ampm: guard let value = ampm(bytes, &index) else { return nil }; fields.pm = value
            case .zone: guard let value = zone(bytes, &index) else { return nil }; fields.offsetMinutes = value
            }
        }
        guard index == bytes.count, (1...12).contains(fields.month),
            fields.day >= 1, fields.day <= CivilDate.daysIn(month: fields.month, year: fields.year)
        else { return nil }
        if let pm = fields.pm { fields.hour = fields.hour % 12 + (pm ? 12 : 0) }
        guard fields.hour < 24 else { return nil }
        return fields
    }

    private static func power(_ exponent: Int) -> Int { (0..<exponent).reduce(1) { value, _ in value * 10 } }

    private static let months = [
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
        "december",
    ].map { Array($0.utf8) }

    private func monthName(_ bytes: UnsafeRawBufferPointer, _ index: inout Int) -> Int? {
        var letters: [UInt8] = []
        while index < bytes.count, (bytes[index] | 0x20) &- UInt8(ascii: "a") < 26 {
            letters.append(bytes[index] | 0x20)
            index += 1
        }
        return Self.months.firstIndex { $0 == letters || (letters.count == 3 && $0.prefix(3).elementsEqual(letters)) }
            .map { $0 + 1 }
    }

    private func ampm(_ bytes: UnsafeRawBufferPointer, _ index: inout Int) -> Bool? {
        guard index + 2 <= bytes.count, bytes[index + 1] | 0x20 == UInt8(ascii: "m") else { return nil }
        let letter = bytes[index] | 0x20
        index += 2
        return letter == UInt8(ascii: "p") ? true : letter == UInt8(ascii: "a") ? false : nil
    }

    private func zone(_ bytes: UnsafeRawBufferPointer, _ index: inout Int) -> Int? {
        guard index < bytes.count else { return nil }
        if bytes[index] == UInt8(ascii: "Z") {
            index += 1
            return 0
        }
        guard bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") else { return nil }
        let negative = bytes[index] == UInt8(ascii: "-")
        index += 1
        func two() -> Int? {
            guard index + 2 <= bytes.count, bytes[index] &- 48 < 10, bytes[index + 1] &- 48 < 10 else { return nil }
            defer { index += 2 }
            return Int(bytes[index] &- 48) * 10 + Int(bytes[index + 1] &- 48)
        }
        guard let hours = two() else { return nil }
        if index < bytes.count, bytes[index] == UInt8(ascii: ":") { index += 1 }
        guard let minutes = two(), hours < 24, minutes < 60 else { return nil }
        return (hours * 60 + minutes) * (negative ? -1 : 1)
    }
}
