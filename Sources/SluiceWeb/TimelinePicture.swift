import Foundation
import SluiceCore

/// A run's attempts on a time axis (a Gantt chart): one row a step, one bar an attempt, so retries and the
/// time they cost show at a glance.
struct TimelinePicture: Sendable {
    struct Row: Sendable {
        var label: String
        var textY: Int
        var noteX: Int
        var note: String
        var bars: [PictureBar]
    }

    struct Tick: Sendable {
        var x: Int
        var label: String
        var bottom: Int
        var labelY: Int
    }

    var width: Int
    var height: Int
    var rows: [Row]
    var ticks: [Tick]
    var label: String

    static let labelWidth = 170
    static let plotWidth = 640
    static let noteWidth = 130
    static let rowHeight = 24

    init(_ run: RunRecord, now: Timestamp) {
        let start = run.startedAt.milliseconds
        let ends = run.steps.flatMap { $0.attempts.map { ($0.endedAt ?? now).milliseconds } }
        let end = max(start + 1, (run.endedAt ?? now).milliseconds, ends.max() ?? start + 1)
        let span = Double(end - start)
        func x(_ time: Int64) -> Int { Self.labelWidth + Int(Double(time - start) / span * Double(Self.plotWidth)) }
        let steps = run.steps.filter { !$0.attempts.isEmpty }
        rows = steps.enumerated().map { index, step in
            let top = 22 + index * Self.rowHeight
            let bars = step.attempts.map { attempt -> PictureBar in
                let left = x(attempt.startedAt.milliseconds)
                let right = x((attempt.endedAt ?? now).milliseconds)
                let took = Format.duration(
                    milliseconds: (attempt.endedAt ?? now).milliseconds - attempt.startedAt.milliseconds)
                let outcome = attempt.endedAt == nil ? "running" : attempt.succeeded ? "succeeded" : "failed"
                // A pixel apart, so that retries read as separate bars.
                return PictureBar(
                    x: left + 1, y: top + 4, width: max(2, right - left - 2), height: Self.rowHeight - 8,
                    tone: attempt.endedAt == nil ? "run" : attempt.succeeded ? "ok" : "bad",
                    title: "\(step.step) attempt \(attempt.number): \(outcome), \(took)")
            }
            let total = step.attempts.reduce(Int64(0)) {
                $0 + (($1.endedAt ?? now).milliseconds - $1.startedAt.milliseconds)
            }
            let retries = step.attempts.count > 1 ? " · \(step.attempts.count) attempts" : ""
            return Row(
                label: GraphPicture.clip(step.step, 22), textY: top + 16, noteX: Self.labelWidth + Self.plotWidth + 8,
                note: Format.duration(milliseconds: total) + retries, bars: bars)
        }
        let height = 30 + max(1, steps.count) * Self.rowHeight
        ticks = (0...4).map { part in
            let time = start + Int64(span * Double(part) / 4)
            return Tick(
                x: x(time), label: "+" + Format.duration(milliseconds: time - start), bottom: height, labelY: 12)
        }
        width = Self.labelWidth + Self.plotWidth + Self.noteWidth
        self.height = height
        label = "Timeline of the attempts of run \(run.id)"
    }
}
