/// Decimal numbers as text, exactly: no value passes through a binary floating point number here.
public enum DecimalText {
    /// A decimal number as sign, digits and a power of ten: `-12.50` is (true, "1250", -2).
    struct Parts: Equatable {
        var negative: Bool
        var digits: [UInt8]
        var exponent: Int
    }

    /// `[+-]digits[.digits][(e|E)[+-]digits]`, or `nil`.
    static func parts(_ text: some StringProtocol) -> Parts? {
        var bytes = Array(text.utf8)[...]
        var negative = false
        if let first = bytes.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            bytes = bytes.dropFirst()
        }
        var digits: [UInt8] = []
        var exponent = 0
        var afterPoint = false
        var sawDigit = false
        while let byte = bytes.first, byte != UInt8(ascii: "e"), byte != UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            if byte == UInt8(ascii: "."), !afterPoint {
                afterPoint = true
            } else if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
                digits.append(byte)
                sawDigit = true
                if afterPoint { exponent -= 1 }
            } else {
                return nil
            }
        }
        guard sawDigit else { return nil }
        if !bytes.isEmpty {
            guard let power = Int(String(decoding: bytes.dropFirst(), as: UTF8.self)), abs(power) < 10_000 else {
                return nil
            }
            exponent += power
        }
        while digits.count > 1, digits.first == UInt8(ascii: "0") { digits.removeFirst() }
        return Parts(negative: negative, digits: digits, exponent: exponent)
    }

    /// `text` rounded half-even to `scale` digits after the point, written with exactly that many
    /// (`2.675` at 2 is `2.68`, `0.125` is `0.12`, `-0.001` is `0.00`); `nil` when it is not a decimal number.
    public static func rounded(_ text: some StringProtocol, scale: Int) -> String? {
        guard let value = parts(text) else { return nil }
        var digits = value.digits
        let shift = value.exponent + scale
        if shift >= 0 {
            digits += Array(repeating: UInt8(ascii: "0"), count: shift)
        } else {
            let dropped = Array(digits.suffix(min(-shift, digits.count)))
            digits = Array(digits.dropLast(min(-shift, digits.count)))
            let padded = -shift > dropped.count ? [UInt8(ascii: "0")] + dropped : dropped
            if roundsUp(kept: digits.last, dropped: padded) { increment(&digits) }
        }
        while digits.count > 1, digits.first == UInt8(ascii: "0") { digits.removeFirst() }
        if digits.count <= scale {
            digits = Array(repeating: UInt8(ascii: "0"), count: scale + 1 - digits.count) + digits
        }
        let zero = digits.allSatisfy { $0 == UInt8(ascii: "0") }
        var out = value.negative && !zero ? "-" : ""
        out += String(decoding: digits.dropLast(scale), as: UTF8.self)
        if scale > 0 { out += "." + String(decoding: digits.suffix(scale), as: UTF8.self) }
        return out
    }

    /// Half-even: above half rounds up, below rounds down, exactly half rounds to the even neighbour.
    private static func roundsUp(kept last: UInt8?, dropped: [UInt8]) -> Bool {
        guard let first = dropped.first else { return false }
        if first != UInt8(ascii: "5") { return first > UInt8(ascii: "5") }
        if dropped.dropFirst().contains(where: { $0 != UInt8(ascii: "0") }) { return true }
        return ((last ?? UInt8(ascii: "0")) - UInt8(ascii: "0")) % 2 == 1
    }

    private static func increment(_ digits: inout [UInt8]) {
        var index = digits.count - 1
        while index >= 0 {
            if digits[index] == UInt8(ascii: "9") {
                digits[index] = UInt8(ascii: "0")
                index -= 1
            } else {
                digits[index] += 1
                return
            }
        }
        digits.insert(UInt8(ascii: "1"), at: 0)
    }

    /// The exact order of two decimal numbers: negative, zero or positive as `a` is below, equal to or above `b`.
    public static func compare(_ a: some StringProtocol, _ b: some StringProtocol) -> Int? {
        guard let a = parts(a), let b = parts(b) else { return nil }
        let aZero = a.digits.allSatisfy { $0 == UInt8(ascii: "0") }
        let bZero = b.digits.allSatisfy { $0 == UInt8(ascii: "0") }
        let aSign = aZero ? 0 : (a.negative ? -1 : 1)
        let bSign = bZero ? 0 : (b.negative ? -1 : 1)
        guard aSign == bSign, aSign != 0 else { return aSign - bSign }
        return aSign * magnitudeOrder(a, b)
    }

    private static func magnitudeOrder(_ a: Parts, _ b: Parts) -> Int {
        // The place of the leading digit decides first; then the digits, aligned and padded with zeros.
        let aTop = a.digits.count + a.exponent
        let bTop = b.digits.count + b.exponent
        if aTop != bTop { return aTop < bTop ? -1 : 1 }
        let length = max(a.digits.count, b.digits.count)
        for index in 0..<length {
            let x = index < a.digits.count ? a.digits[index] : UInt8(ascii: "0")
            let y = index < b.digits.count ? b.digits[index] : UInt8(ascii: "0")
            if x != y { return x < y ? -1 : 1 }
        }
        return 0
    }
}
