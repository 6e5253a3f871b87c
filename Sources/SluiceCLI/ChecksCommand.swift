import ArgumentParser
import Foundation
import SluiceCore

struct ChecksCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "checks", abstract: "Show quality gate results with their history, newest first.")

    @Argument(help: "Only this dataset.")
    var dataset: String?

    @Option(help: "Only this environment.")
    var env: String?

    @Option(help: "Show at most this many results.")
    var limit = 20

    @OptionGroup var projectOptions: ProjectOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let runs = Array(
            try await projectOptions.engine().checkRuns(dataset: dataset, environment: env).prefix(
                try Terminal.pageLimit(limit)))
        if output.json { return try Terminal.json(runs) }
        if runs.isEmpty { print("no gate results yet") }
        for run in runs {
            let outcome = run.passed ? "passed" : "FAILED"
            print(
                "\(Terminal.time(run.at))  \(run.dataset) in \(run.environment)  \(outcome)  \(run.origin)"
                    + (run.version.map { "  version \($0.short)" } ?? "")
                    + (run.quarantine.map { "  quarantine \($0)" } ?? ""))
            if dataset != nil || !run.passed || run.report.invalidRows > 0 {
                print(run.report.summary.split(separator: "\n").map { "    " + $0 }.joined(separator: "\n"))
            }
        }
    }
}

struct CheckCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check", abstract: "Validate a file against a dataset's contract; changes nothing.")

    @Argument(help: "The file to check.")
    var file: String

    @Option(help: "The dataset whose contract applies.")
    var against: String

    @Option(help: "The environment that `references` checks look in (default: the project's default).")
    var env: String?

    @OptionGroup var projectOptions: ProjectOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let report = try await projectOptions.engine().check(
            file: URL(fileURLWithPath: file).standardizedFileURL, against: against, in: env)
        if output.json {
            try Terminal.json(report)
        } else {
            print("\(file) against \(against): \(report.passed ? "passes" : "FAILS")")
            print(report.summary)
        }
        if !report.passed || report.invalidRows > 0 { throw ExitCode(ExitStatus.failed.rawValue) }
    }
}
