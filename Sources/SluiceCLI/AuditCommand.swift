import ArgumentParser
import SluiceCore

struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit", abstract: "List the hash-chained audit log, or verify it.",
        subcommands: [List.self, Verify.self], defaultSubcommand: List.self)

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List audit events: a page of the newest that match, shown oldest first.")

        @Option(name: [.long, .customLong("last")], help: "Events per page (1–1000).")
        var limit = 100

        @Option(help: "The page before this cursor (printed under a full page).")
        var after: String?

        @Option(help: "Only this action (ingest, promote, run, policy.apply, …).")
        var action: String?

        @Option(help: "Only events of this principal.")
        var principal: String?

        @Option(help: "Only this outcome: succeeded, failed or denied.")
        var outcome: String?

        @Option(help: "Only events on this target (an environment, a dataset, a token id…).")
        var target: String?

        @OptionGroup var projectOptions: ProjectOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            var filter = AuditFilter(action: action, principal: principal, target: target)
            if let outcome {
                guard let parsed = AuditOutcome(rawValue: outcome) else {
                    throw UsageError("--outcome \(NameRules.quoted(outcome)) is not succeeded, failed or denied")
                }
                filter.outcome = parsed
            }
            let page = try await projectOptions.engine().auditPage(
                filter, page: PageRequest(limit: try Terminal.pageLimit(limit), after: after))
            let events = Array(page.items.reversed())
            if let next = page.next, !output.json { Terminal.warn("older events: sluice audit --after \(next)") }
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
            abstract:
                "Recompute the hash chain and the records it vouches for; exit 1 naming every event that was changed, removed or reordered and every record that disagrees."
        )

        @OptionGroup var projectOptions: ProjectOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let result = try await projectOptions.engine().verifyAudit()
            if output.json {
                try Terminal.json(result)
            } else if !result.ok {
                let at =
                    result.firstBadSequence.map { "chain BROKEN at event \($0)" } ?? "chain intact, records disagree"
                print("audit \(at): \(result.problems.count) problem(s)")
                for problem in result.problems { print("  - \(problem)") }
            } else {
                print("audit chain intact: \(result.events) events")
            }
            if !result.ok { throw ExitCode(ExitStatus.failed.rawValue) }
        }
    }
}
