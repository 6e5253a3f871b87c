import ArgumentParser
import SluiceCore

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "List the hash-chained audit log, or verify it.",
        subcommands: [List.self, Verify.self], defaultSubcommand: List.self)

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List audit events, oldest first.")

        @Option(help: "Show only the newest N events.")
        var last: Int?

        @OptionGroup var projectOptions: ProjectOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            var events = try await projectOptions.workspace().auditEvents()
            if let last { events = Array(events.suffix(max(0, last))) }
            if output.json { return try Terminal.json(events) }
            Terminal.table(
                ["SEQ", "TIME", "PRINCIPAL", "AUTH", "ACTION", "TARGET", "OUTCOME", "DETAILS"],
                events.map {
                    [
                        "\($0.sequence)", Terminal.time($0.draft.time), $0.draft.principal,
                        $0.draft.authentication.rawValue,
                        $0.draft.action, $0.draft.target, $0.draft.outcome.rawValue,
                        $0.draft.details.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value.prefix(60))" }.joined(
                            separator: " "
                        )
                        .replacingOccurrences(of: "\n", with: " "),
                    ]
                })
        }
    }

    struct Verify: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Recompute the hash chain; exit 1 naming the first event that was changed, removed or reordered.")

        @OptionGroup var projectOptions: ProjectOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let result = try await projectOptions.workspace().verifyAudit()
            if output.json {
                try Terminal.json(result)
            } else if let problem = result.problem {
                print("audit chain BROKEN at event \(result.firstBadSequence ?? 0): \(problem)")
            } else {
                print("audit chain intact: \(result.events) events")
            }
            if !result.ok { throw ExitCode(ExitStatus.failed.rawValue) }
        }
    }
}
