import Foundation
import SluiceCore

/// Parses field bytes as the contract's types, without building strings on the common paths.
public enum FieldParser {
    /// A whole number: optional sign, then digits; no spaces, no thousands separators.
    public static func int(_ bytes: UnsafeRawBufferPointer) -> Int64? {
        guard !bytes.isEmpty else { return nil }
        var index = 0
        var negative = false
        if bytes[0] == UInt8(ascii: "-") || bytes[0] == UInt8(ascii: "+") {
            negative = bytes[0] == UInt8(ascii: "-")
            index = 1
            guard bytes.count > 1 else { return nil }
        }
        var value: Int64 = 0
        while index < bytes.count {
            let digit = bytes[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            let (times, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (next, overflow2) =
                negative
                ? times.subtractingReportingOverflow(Int64(digit)) : times.addingReportingOverflow(Int64(digit))
            guard !overflow1 && !overflow2 else { return nil }
            value = next
            index += 1
        }
        return value
    }

    /// A decimal number: optional sign, digits with at most one point, optional exponent. Up to 15
    /// significant digits with a small exponent are converted exactly without a string (powers of ten up
    /// to 10^22 are exact doubles); anything longer goes through `strtod`. A value too large for a double
    /// (`1e400`) is not a decimal here: it would compare as infinity.
    public static func decimal(_ bytes: UnsafeRawBufferPointer) -> Double? {
        guard !bytes.isEmpty, bytes.count <= 1024 else { return nil }
        var index = 0
        var negative = false
        if bytes[0] == UInt8(ascii: "-") || bytes[0] == UInt8(ascii: "+") {
            negative = bytes[0] == UInt8(ascii: "-")
            index = 1
        }
        var digits = 0
        var significant = 0
        var mantissa: UInt64 = 0
        var scale = 0  // digits after the point
        var point = false
        var exponent = false
        var exponentValue = 0
        var exponentNegative = false
        var exponentDigits = 0
        while index < bytes.count {
            let byte = bytes[index]
            let digit = byte &- UInt8(ascii: "0")
            if digit < 10 {
                if exponent {
                    exponentDigits += 1
                    if exponentValue < 10_000 { exponentValue = exponentValue * 10 + Int(digit) }
                } else {
                    digits += 1
                    if significant > 0 || digit != 0 { significant += 1 }
                    if significant <= 19 { mantissa = mantissa &* 10 &+ UInt64(digit) }
                    if point { scale += 1 }
                }
            } else if byte == UInt8(ascii: ".") && !point && !exponent {
                point = true
            } else if (byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E")) && digits > 0 && !exponent {
                exponent = true
                if index + 1 < bytes.count
                    && (bytes[index + 1] == UInt8(ascii: "-") || bytes[index + 1] == UInt8(ascii: "+"))
                {
                    exponentNegative = bytes[index + 1] == UInt8(ascii: "-")
                    index += 1
                }
                guard index + 1 < bytes.count else { return nil }
            } else {
                return nil
            }
            index += 1
        }
        guard digits > 0, !exponent || exponentDigits > 0 else { return nil }
        let power = (exponentNegative ? -exponentValue : exponentValue) - scale
        if significant <= 15 && abs(power) <= 22 {
            var value = Double(mantissa)
            if power < 0 { value /= powersOfTen[-power] } else { value *= powersOfTen[power] }
            return negative ? -value : value
        }
        var text = [CChar](repeating: 0, count: bytes.count + 1)
        for (offset, byte) in bytes.enumerated() { text[offset] = CChar(bitPattern: byte) }
        let value = strtod(text, nil)
        return value.isFinite ? value : nil
    }

    private static let powersOfTen: [Double] = (0...22).map { exponent in
        (0..<exponent).reduce(1.0) { value, _ in value * 10 }
    }

    public static func bool(_ bytes: UnsafeRawBufferPointer) -> Bool? {
        guard bytes.count <= 5 else { return nil }
        var word: UInt64 = 0
        for (offset, byte) in bytes.enumerated() {
            // ASCII letters to lower case; other bytes unchanged.
            let lower = byte &- UInt8(ascii: "A") < 26 ? byte | 0x20 : byte
            word |= UInt64(lower) << UInt64(offset * 8)
        }
        if trueWords.contains(word) { return true }
        if falseWords.contains(word) { return false }
        return nil
    }

    private static let trueWords = ["true", "t", "yes", "y", "1"].map(word)
    private static let falseWords = ["false", "f", "no", "n", "0"].map(word)

    private static func word(_ text: String) -> UInt64 {
        var word: UInt64 = 0
        for (offset, byte) in text.utf8.enumerated() { word |= UInt64(byte) << UInt64(offset * 8) }
        return word
    }

    /// `YYYY-MM-DD` as days since 1970-01-01.
    public static func date(_ bytes: UnsafeRawBufferPointer) -> Int64? {
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
            let year = number(bytes, 0, 4), let month = number(bytes, 5, 2), let day = number(bytes, 8, 2),
            (1...12).contains(month), day >= 1, day <= CivilDate.daysIn(month: month, year: year)
        else { return nil }
        return CivilDate.daysFromCivil(year: year, month: month, day: day)
    }

    /// ISO 8601 `YYYY-MM-DD[T| ]HH:MM[:SS[.fraction]][Z|±HH:MM|±HHMM]` (or a bare date) as microseconds
    /// since 1970 in UTC; no zone means UTC. Fraction digits after the sixth are read but not kept.
    public static func timestamp(_ bytes: UnsafeRawBufferPointer) -> Int64? {
        guard bytes.count >= 19, let seconds = utcSeconds(bytes) else { return anyTimestamp(bytes) }
        return bytes.count == 19 ? seconds : timestampTail(bytes, seconds)
    }

    /// What may follow `YYYY-MM-DDTHH:MM:SS`: a fraction, then `Z`, `±HH:MM`, `±HHMM` or `±HH`, each optional.
    /// The same rules as `anyTimestamp`, without reading the first 19 bytes again.
    @inline(__always)
    private static func timestampTail(_ bytes: UnsafeRawBufferPointer, _ seconds: Int64) -> Int64? {
        var microseconds = seconds
        var index = 19
        if bytes[index] == UInt8(ascii: ".") || bytes[index] == UInt8(ascii: ",") {
            index += 1
            var scale: Int64 = 100_000
            let fractionStart = index
            while index < bytes.count, case let digit = bytes[index] &- UInt8(ascii: "0"), digit < 10 {
                microseconds += Int64(digit) * scale
                scale /= 10
                index += 1
            }
            guard index > fractionStart else { return nil }
            if index == bytes.count { return microseconds }
        }
        let sign = bytes[index]
        if sign == UInt8(ascii: "Z") || sign == UInt8(ascii: "z") {
            return index + 1 == bytes.count ? microseconds : nil
        }
        guard sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-"), let hour = number(bytes, index + 1, 2), hour < 24
        else { return nil }
        var minute = 0
        switch bytes.count - index - 1 {
        case 2: break
        case 4: guard let parsed = number(bytes, index + 3, 2) else { return nil }; minute = parsed
        case 5:
            guard bytes[index + 3] == UInt8(ascii: ":"), let parsed = number(bytes, index + 4, 2) else { return nil }
            minute = parsed
        default: return nil
        }
        let offset = Int64(hour * 3_600_000_000 + minute * 60_000_000)
        return sign == UInt8(ascii: "-") ? microseconds + offset : microseconds - offset
    }

    /// Every accepted timestamp shape, one field at a time.
    static func anyTimestamp(_ bytes: UnsafeRawBufferPointer) -> Int64? {
        guard bytes.count >= 10, let days = date(UnsafeRawBufferPointer(rebasing: bytes[0..<10])) else { return nil }
        var microseconds = days * 86_400_000_000
        if bytes.count == 10 { return microseconds }
        guard bytes.count >= 16, bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: " "),
            let hour = number(bytes, 11, 2), let minute = number(bytes, 14, 2), bytes[13] == UInt8(ascii: ":"),
            hour < 24, minute < 60
        else { return nil }
        microseconds += Int64(hour * 3_600_000_000 + minute * 60_000_000)
        var index = 16
        if index < bytes.count && bytes[index] == UInt8(ascii: ":") {
            guard let second = number(bytes, index + 1, 2), second < 61 else { return nil }
            microseconds += Int64(second * 1_000_000)
            index += 3
            if index < bytes.count && (bytes[index] == UInt8(ascii: ".") || bytes[index] == UInt8(ascii: ",")) {
                index += 1
                var scale = 100_000
                let fractionStart = index
                while index < bytes.count && bytes[index] &- UInt8(ascii: "0") < 10 {
                    microseconds += Int64(Int(bytes[index] - UInt8(ascii: "0")) * scale)
                    scale /= 10
                    index += 1
                }
                guard index > fractionStart else { return nil }
            }
        }
        if index == bytes.count { return microseconds }
        if bytes[index] == UInt8(ascii: "Z") || bytes[index] == UInt8(ascii: "z") {
            return index + 1 == bytes.count ? microseconds : nil
        }
        guard bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") else { return nil }
        let sign: Int64 = bytes[index] == UInt8(ascii: "-") ? -1 : 1
        let rest = bytes.count - index - 1
        guard let zoneHour = number(bytes, index + 1, 2), zoneHour < 24 else { return nil }
        var zoneMinute = 0
        if rest == 5 && bytes[index + 3] == UInt8(ascii: ":") {
            guard let parsed = number(bytes, index + 4, 2) else { return nil }
            zoneMinute = parsed
        } else if rest == 4 {
            guard let parsed = number(bytes, index + 3, 2) else { return nil }
            zoneMinute = parsed
        } else if rest != 2 {
            return nil
        }
        return microseconds - sign * Int64(zoneHour * 3_600_000_000 + zoneMinute * 60_000_000)
    }

    /// The common `YYYY-MM-DDTHH:MM:SS` start, checked with two word loads: every digit position must
    /// hold a digit and every separator its byte. `nil` sends anything else through the general parser.
    @inline(__always)
    private static func utcSeconds(_ bytes: UnsafeRawBufferPointer) -> Int64? {
        let head = bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self)  // YYYY-MM-
        let tail = bytes.loadUnaligned(fromByteOffset: 11, as: UInt64.self)  // HH:MM:SS
        guard bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: " "),
            isDigits(head, separators: 0x2D00_002D_0000_0000, mask: 0xFF00_00FF_0000_0000),
            isDigits(tail, separators: 0x0000_3A00_003A_0000, mask: 0x0000_FF00_00FF_0000),
            bytes[8] &- UInt8(ascii: "0") < 10, bytes[9] &- UInt8(ascii: "0") < 10
        else { return nil }
        func pair(_ word: UInt64, _ index: Int) -> Int {
            Int((word >> UInt64(index * 8)) & 0x0F) * 10 + Int((word >> UInt64(index * 8 + 8)) & 0x0F)
        }
        let year = pair(head, 0) * 100 + pair(head, 2)
        let month = pair(head, 5)
        let day = Int(bytes[8] & 0x0F) * 10 + Int(bytes[9] & 0x0F)
        let hour = pair(tail, 0)
        let minute = pair(tail, 3)
        let second = pair(tail, 6)
        guard (1...12).contains(month), day >= 1, day <= CivilDate.daysIn(month: month, year: year), hour < 24,
            minute < 60,
            second < 61
        else { return nil }
        let days = CivilDate.daysFromCivil(year: year, month: month, day: day)
        return days * 86_400_000_000 + Int64(hour * 3_600_000_000 + minute * 60_000_000 + second * 1_000_000)
    }

    /// Whether every byte of `word` outside `mask` is an ASCII digit and every byte inside it equals the
    /// same byte of `separators`.
    @inline(__always)
    private static func isDigits(_ word: UInt64, separators: UInt64, mask: UInt64) -> Bool {
        let digits = word & ~mask
        let zeros: UInt64 = 0x3030_3030_3030_3030 & ~mask
        // A digit byte is 0x30...0x39: its high nibble is 3 and adding 6 does not carry into bit 4.
        let highNibbles = digits & 0xF0F0_F0F0_F0F0_F0F0
        let carried = (digits &+ (0x0606_0606_0606_0606 & ~mask)) & 0xF0F0_F0F0_F0F0_F0F0
        return highNibbles == zeros && carried == zeros && word & mask == separators
    }

    private static func number(_ bytes: UnsafeRawBufferPointer, _ offset: Int, _ count: Int) -> Int? {
        guard offset + count <= bytes.count else { return nil }
        var value = 0
        for index in offset..<(offset + count) {
            let digit = bytes[index] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            value = value * 10 + Int(digit)
        }
        return value
    }

}
