import ArgumentParser
import SluiceCore

struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show the project, who is acting, every environment and the audit chain.")

    @OptionGroup var projectOptions: ProjectOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let report = try await projectOptions.engine().status()
        if output.json { return try Terminal.json(report) }
        StatusPrinter.print(report)
    }
}

enum StatusPrinter {
    static func print(_ report: StatusReport) {
        Swift.print(
            "project \(report.project) at \(report.root)"
                + (report.commit.map { ", as committed at \($0.prefix(12))" } ?? " (its work tree)"))
        if let refusal = report.refusal { Swift.print("warning: \(refusal)") }
        Swift.print("acting as \(report.actingAs) (\(report.authentication.rawValue))")
        Swift.print("")
        Terminal.table(
            ["ENVIRONMENT", "HEAD", "DATASETS", "PROTECTED", "EXPIRES", "LIFECYCLE"],
            report.environments.map {
                [
                    $0.name, $0.head?.short ?? "empty", "\($0.datasets)", $0.protected ? "yes" : "no",
                    Terminal.time($0.expiresAt), $0.lifecycle,
                ]
            })
        for expiring in report.expiringSoon {
            Swift.print(
                "warning: \(expiring.name) expires at \(Terminal.time(expiring.expiresAt)) unless it is used (sluice gc deletes it then)"
            )
        }
        Swift.print("")
        Swift.print("sources: \(report.sources.joined(separator: ", ")); \(report.datasets) datasets declared")
        for pipeline in report.pipelines {
            Swift.print(
                "pipeline \(pipeline.name): \(pipeline.steps) steps, schedule \(pipeline.schedule ?? "none"), last run "
                    + (pipeline.lastRun.map {
                        "\($0) \(pipeline.lastRunStatus?.rawValue ?? "") in \(pipeline.lastRunEnvironment ?? "?") at \(pipeline.lastRunAt.map(Terminal.time) ?? "?")"
                    } ?? "never")
            )
        }
        Swift.print(
            "audit: \(report.auditEvents) events, chain \(report.auditIntact ? "intact" : "BROKEN (run sluice audit verify)")"
        )
        for event in report.recentEvents {
            Swift.print(
                "  #\(event.sequence) \(Terminal.time(event.draft.time)) \(event.draft.principal) \(event.draft.action) \(event.draft.target) \(event.draft.outcome.rawValue)"
            )
        }
    }
}
