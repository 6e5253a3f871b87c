import Foundation

/// A length of time written as in project files and flags: `90s`, `10m`, `2h`, `7d`, `2w`.
public struct TimeSpan: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let seconds: Int64

    public init(seconds: Int64) {
        self.seconds = seconds
    }

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
        guard !overflow else { return nil }
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
