import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A progress bar on standard error for work that takes more than a second; nothing at all when standard
/// error is not a terminal (piped, redirected, in CI).
final class ProgressBar: @unchecked Sendable {
    private let label: String
    private let lock = NSLock()
    private var started: Date?
    private var lastDrawn = Date.distantPast
    private var drawn = false

    init(label: String) { self.label = label }

    /// The callback to hand to long-running work, or `nil` when standard error is not a terminal.
    static func forTerminal(label: String) -> (@Sendable (Int, Int) -> Void)? {
        guard isatty(STDERR_FILENO) == 1 else { return nil }
        let bar = ProgressBar(label: label)
        return { done, total in bar.update(done: done, total: total) }
    }

    func update(done: Int, total: Int, now: Date = Date()) {
        lock.lock()
        defer { lock.unlock() }
        let start = started ?? now
        started = start
        if done >= total {
            if drawn { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
            drawn = false
            started = nil
            return
        }
        guard now.timeIntervalSince(start) >= 1, now.timeIntervalSince(lastDrawn) >= 0.1, total > 0 else { return }
        lastDrawn = now
        drawn = true
        FileHandle.standardError.write(Data(("\r" + Self.line(label: label, done: done, total: total)).utf8))
    }

    /// `label [#########           ]  45%  460 MiB / 1.0 GiB`
    static func line(label: String, done: Int, total: Int, width: Int = 30) -> String {
        let fraction = min(1, Double(done) / Double(max(total, 1)))
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled)
        return "\(label) [\(bar)] \(String(format: "%3d", Int(fraction * 100)))%  \(size(done)) / \(size(total))"
    }

    static func size(_ bytes: Int) -> String {
        bytes >= 1 << 30
            ? String(format: "%.1f GiB", Double(bytes) / Double(1 << 30))
            : String(format: "%.0f MiB", Double(bytes) / Double(1 << 20))
    }
}
