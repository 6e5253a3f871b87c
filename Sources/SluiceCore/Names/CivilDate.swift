/// Calendar arithmetic on proleptic Gregorian dates, inlined into the checker's hot loop.
public enum CivilDate {
    @inlinable
    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 for a proleptic Gregorian date (Howard Hinnant's algorithm).
    @inlinable
    public static func daysFromCivil(year: Int, month: Int, day: Int) -> Int64 {
        if year >= 1 {
            // The same sum without eras: with unsigned operands every division is a multiply and a shift.
            let y = UInt(month <= 2 ? year - 1 : year)
            let dayOfYear = (153 * UInt(month > 2 ? month - 3 : month + 9) + 2) / 5 + UInt(day) - 1
            return Int64(y * 365 + y / 4 - y / 100 + y / 400 + dayOfYear) - 719_468
        }
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return Int64(era * 146_097 + dayOfEra - 719_468)
    }
}
