import Foundation
import SluiceCore

/// A dataset's gate results over time as bars: a bar's height is the share of valid rows, its colour the
/// verdict (and its tooltip says which checks failed).
struct ChartPicture: Sendable {
    var width: Int
    var height: Int
    var left: Int
    var right: Int
    var top: Int
    var base: Int
    var topLabelY: Int
    var bars: [PictureBar]
    var label: String

    /// `runs` oldest first.
    init(_ runs: [CheckRun], label: String) {
        left = 40
        top = 8
        base = 128
        let slot = max(6, min(24, 640 / max(1, runs.count)))
        bars = runs.enumerated().map { index, run in
            let report = run.report
            let share = report.rows == 0 ? 1 : Double(report.validRows) / Double(report.rows)
            let tall = max(3, Int(share * 120))
            let tone = !run.passed ? "bad" : report.warnings.isEmpty ? "ok" : "warn"
            let problems = (report.failedChecks.map(\.id) + report.warnings.map(\.id) + report.batchProblems)
            let title =
                "\(run.at.description): \(run.passed ? "passed" : "failed"), \(report.validRows) of \(report.rows) rows valid"
                + (problems.isEmpty ? "" : "; " + problems.joined(separator: ", "))
            return PictureBar(
                x: 44 + index * slot, y: 128 - tall, width: slot - 2, height: tall, tone: tone, title: title)
        }
        right = 44 + runs.count * slot
        width = right + 8
        height = 136
        topLabelY = 14
        self.label = label
    }
}

/// A bar of a chart or a timeline: where it is, its tone and its tooltip.
struct PictureBar: Sendable {
    var x: Int
    var y: Int
    var width: Int
    var height: Int
    var tone: String
    var title: String
}
