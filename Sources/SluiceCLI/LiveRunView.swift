import Foundation
import SluiceCore
import SluiceRunner

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `sluice run` on a terminal: each step that ends (or retries) prints its line for good, and below them a
/// live block, redrawn in place four times a second, lists the steps running now with their time so far and
/// ends with a progress bar over all the run's steps. Piped or redirected, there is no block and every event
/// is one plain line (see `RunCommand`).
final class LiveRunView: @unchecked Sendable {
    private let lock = NSLock()
    private let total: Int
    private let started = Date()
    private var running: [(step: String, since: Date)] = []
    private var ended = 0
    private var height = 0
    private var frame = 0
    private var ticker: Task<Void, Never>?
    private var finished = false

    init(total: Int) { self.total = total }

    private static let activeLock = NSLock()
    nonisolated(unsafe) private static var active: LiveRunView?

    /// Writes `text` to standard error above the block, which is drawn again below it: log lines written while
    /// a run is shown do not break the redraw.
    static func writeError(_ text: String) {
        guard let view = activeLock.withLock({ active }) else {
            return FileHandle.standardError.write(Data(text.utf8))
        }
        view.lock.withLock {
            view.write(view.erase())
            FileHandle.standardError.write(Data(text.utf8))
            view.write(view.draw())
        }
    }

    /// A view when standard output is a terminal that can redraw, else `nil`.
    static func forTerminal(total: Int) -> LiveRunView? {
        guard isatty(STDOUT_FILENO) == 1, ProcessInfo.processInfo.environment["TERM"] != "dumb" else { return nil }
        let view = LiveRunView(total: total)
        activeLock.withLock { active = view }
        view.ticker = Task { [weak view] in
            while (try? await Task.sleep(for: .milliseconds(250))) != nil {
                view?.redraw(ticking: true)
            }
        }
        return view
    }

    func handle(_ event: StepEvent) {
        lock.withLock {
            guard !finished else { return }
            var permanent: String?
            switch event.kind {
            case .started:
                running.append((event.step, Date()))
            case .retrying:
                permanent = event.line
            case .finished:
                running.removeAll { $0.step == event.step }
                ended += 1
                permanent = event.line
            }
            var text = erase()
            if let permanent { text += "\(Terminal.clock()) \(permanent)\n" }
            text += draw()
            write(text)
        }
    }

    /// Takes the block away for good (the summary follows).
    func finish() {
        ticker?.cancel()
        Self.activeLock.withLock { if Self.active === self { Self.active = nil } }
        lock.withLock {
            finished = true
            write(erase())
        }
    }

    private func redraw(ticking: Bool) {
        lock.withLock {
            // A tick that was under way when the view finished must not draw the block again.
            guard !finished else { return }
            if ticking { frame += 1 }
            write(erase() + draw())
        }
    }

    private func erase() -> String {
        defer { height = 0 }
        return height > 0 ? "\u{1B}[\(height)F\u{1B}[J" : ""
    }

    private func draw() -> String {
        let now = Date()
        let lines = Self.block(
            running: running.map { ($0.step, now.timeIntervalSince($0.since)) }, ended: ended, total: total,
            elapsed: now.timeIntervalSince(started), frame: frame)
        height = lines.count
        return lines.map { $0 + "\n" }.joined()
    }

    private func write(_ text: String) {
        guard !text.isEmpty else { return }
        FileHandle.standardOutput.write(Data(text.utf8))
    }

    /// The block: a line per running step, then the bar.
    ///
    ///       | clean_orders      running  1.2s
    ///     [##########          ] 1/2 steps  3.4s
    static func block(
        running: [(step: String, seconds: Double)], ended: Int, total: Int, elapsed: Double, frame: Int, width: Int = 24
    ) -> [String] {
        let spinner = ["|", "/", "-", "\\"][frame % 4]
        let nameWidth = min(40, running.map(\.step.count).max() ?? 0)
        var lines = running.map { step in
            "  \(spinner) \(step.step.padding(toLength: nameWidth, withPad: " ", startingAt: 0))  running "
                + String(format: "%5.1fs", step.seconds)
        }
        let fraction = total > 0 ? min(1, Double(ended) / Double(total)) : 0
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled)
        lines.append("[\(bar)] \(ended)/\(total) steps  " + String(format: "%.1fs", elapsed))
        return lines
    }
}
