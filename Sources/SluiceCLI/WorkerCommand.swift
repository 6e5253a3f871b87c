import ArgumentParser
import Foundation
import Metrics
import SluiceServer

/// `sluice worker`: the service's work without its HTTP API, beside `sluice serve` on one store.
struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract:
            "Run schedules, landing triggers, lifecycles, alerts and deliveries without the HTTP API, until SIGTERM or SIGINT; then exit 0.",
        discussion: """
            A worker shares the store with sluice serve and other workers: each scheduled tick, landing file and \\
            lifecycle pass is claimed in the store once, and each alert is announced once.
            """)

    @Option(help: "Seconds running steps may go on after SIGTERM before they are killed and their runs cancelled.")
    var grace = 30

    @Option(help: ArgumentHelp("The web UI's address as people reach it, for links in alerts.", valueName: "url"))
    var externalURL: String?

    @OptionGroup var projectOptions: ProjectOptions

    func validate() throws {
        guard grace >= 0 else { throw ValidationError("--grace must be 0 or more seconds") }
        if let externalURL {
            try ServeCommand.checkExternalURL(externalURL)
        }
    }

    func run() async throws {
        var context = try await ServerContext.open(root: projectOptions.root())
        defer { context.inForce.removeCopies() }
        context.externalURL = externalURL
        let project = context.project.name
        try await SluiceService(context: context, grace: .seconds(grace)).runWorker {
            Terminal.line(
                "sluice works for \(project) (schedules, triggers, lifecycles, alerts; SIGTERM or Ctrl-C stops it)")
        }
    }
}
