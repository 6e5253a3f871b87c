import Foundation
import SluiceCore

/// A status as the pages show it: a word, a symbol and a tone, so that it reads without colour too.
struct Badge: Sendable {
    var label: String
    var symbol: String
    var tone: String

    init(label: String, symbol: String, tone: String) {
        self.label = label
        self.symbol = symbol
        self.tone = tone
    }

    init(_ status: RunStatus) {
        switch status {
        case .running: self.init(label: "running", symbol: "●", tone: "run")
        case .succeeded: self.init(label: "succeeded", symbol: "✓", tone: "ok")
        case .failed: self.init(label: "failed", symbol: "✗", tone: "bad")
        case .cancelled: self.init(label: "cancelled", symbol: "⊘", tone: "off")
        case .abandoned: self.init(label: "abandoned", symbol: "◌", tone: "bad")
        }
    }

    init(_ status: StepStatus) {
        switch status {
        case .pending: self.init(label: "pending", symbol: "○", tone: "off")
        case .running: self.init(label: "running", symbol: "●", tone: "run")
        case .succeeded: self.init(label: "succeeded", symbol: "✓", tone: "ok")
        case .failed: self.init(label: "failed", symbol: "✗", tone: "bad")
        case .skipped: self.init(label: "skipped", symbol: "↷", tone: "off")
        case .cached: self.init(label: "cached", symbol: "≡", tone: "ok")
        case .resumed: self.init(label: "kept from resumed run", symbol: "↺", tone: "ok")
        case .cancelled: self.init(label: "cancelled", symbol: "⊘", tone: "off")
        }
    }

    init(_ outcome: AuditOutcome) {
        switch outcome {
        case .succeeded: self.init(label: "succeeded", symbol: "✓", tone: "ok")
        case .denied: self.init(label: "denied", symbol: "✗", tone: "bad")
        case .failed: self.init(label: "failed", symbol: "✗", tone: "warn")
        }
    }

    static func check(passed: Bool) -> Badge {
        passed ? Badge(label: "passed", symbol: "✓", tone: "ok") : Badge(label: "failed", symbol: "✗", tone: "bad")
    }
}

/// A moment: relative to now for people, exact on hover, ISO 8601 for machines.
struct When: Sendable {
    var iso: String
    var exact: String
    var relative: String

    init(_ time: Timestamp, now: Timestamp) {
        iso = time.description
        exact = String(iso.prefix(19)).replacingOccurrences(of: "T", with: " ") + " UTC"
        relative = Self.relative(time.milliseconds - now.milliseconds)
    }

    static func relative(_ milliseconds: Int64) -> String {
        let seconds = abs(milliseconds) / 1000
        let span = Format.span(seconds: seconds)
        if seconds < 5 { return "just now" }
        return milliseconds < 0 ? "\(span) ago" : "in \(span)"
    }
}

enum Format {
    /// `42 s`, `7 min`, `3 h`, `2 d` (the largest unit that fits).
    static func span(seconds: Int64) -> String {
        switch seconds {
        case ..<60: "\(seconds) s"
        case ..<3600: "\(seconds / 60) min"
        case ..<(86_400 * 2): "\(seconds / 3600) h"
        default: "\(seconds / 86_400) d"
        }
    }

    /// A duration for a step or run: `850 ms`, `12.3 s`, `4 min 05 s`, `2 h 10 min`.
    static func duration(milliseconds: Int64) -> String {
        switch milliseconds {
        case ..<1000: return "\(milliseconds) ms"
        case ..<60_000: return String(format: "%.1f s", Double(milliseconds) / 1000)
        case ..<3_600_000:
            return String(format: "%d min %02d s", milliseconds / 60_000, (milliseconds / 1000) % 60)
        default: return String(format: "%d h %02d min", milliseconds / 3_600_000, (milliseconds / 60_000) % 60)
        }
    }

    static func count(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var grouped = ""
        for (index, digit) in digits.enumerated() {
            if index > 0, (digits.count - index) % 3 == 0 { grouped.append(",") }
            grouped.append(digit)
        }
        return value < 0 ? "-" + grouped : grouped
    }

    static func bytes(_ value: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var size = Double(value)
        var unit = 0
        while size >= 1024, unit < units.count - 1 {
            size /= 1024
            unit += 1
        }
        return unit == 0 ? "\(value) B" : String(format: "%.1f %@", size, units[unit])
    }

    /// `text` made safe for one path segment of a URL (a name with a slash stays one segment).
    static func segment(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    /// `text` made safe as a query value.
    static func query(_ text: String) -> String { segment(text) }
}
