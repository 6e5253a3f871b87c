import Foundation

/// A length of time written as in project files and flags: `90s`, `10m`, `2h`, `7d`, `2w`; never negative and
/// at most `maximum` (1000 years), so that no time computed from a stored span can overflow.
public struct TimeSpan: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let seconds: Int64

    /// The longest span accepted anywhere: 1000 years of 365.25 days.
    public static let maximum = TimeSpan(seconds: maximumSeconds)
    private static let maximumSeconds: Int64 = 31_557_600_000

    /// Clamped to `0...maximum`.
    public init(seconds: Int64) {
        self.seconds = min(max(seconds, 0), Self.maximumSeconds)
    }

    /// Decoding clamps too: a record written by an older version can never make a read overflow.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        self.init(seconds: try container.decode(Int64.self))
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(seconds)
    }

    /// The span in milliseconds (never overflows: the span is at most `maximum`).
    public var milliseconds: Int64 { seconds * 1000 }

    public init?(_ text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let unit = trimmed.last, let amount = Int64(trimmed.dropLast()), amount >= 0 else { return nil }
        let factor: Int64
        switch unit {
        case "s": factor = 1
        case "m": factor = 60
        case "h": factor = 3_600
        case "d": factor = 86_400
        case "w": factor = 604_800
        default: return nil
        }
        let (product, overflow) = amount.multipliedReportingOverflow(by: factor)
        guard !overflow, product <= Self.maximumSeconds else { return nil }
        seconds = product
    }

    public var description: String {
        for (factor, unit) in [(Int64(604_800), "w"), (86_400, "d"), (3_600, "h"), (60, "m")]
        where seconds >= factor && seconds % factor == 0 {
            return "\(seconds / factor)\(unit)"
        }
        return "\(seconds)s"
    }

    public static func < (lhs: TimeSpan, rhs: TimeSpan) -> Bool { lhs.seconds < rhs.seconds }
}
