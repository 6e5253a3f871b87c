import ArgumentParser
import SluiceCore

struct EnvCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "env", abstract: "Create, list and delete environments.",
        subcommands: [Create.self, List.self, Delete.self, Reset.self], defaultSubcommand: List.self)

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create an environment from another one (zero-copy: only a ref is written).")

        @Argument(help: "The new environment, e.g. sandbox/alice-exp.")
        var name: String

        @Option(help: "The environment to start from.")
        var from: String

        @Option(help: "Expire after this long without use (e.g. 3d), instead of the declared lifecycle.")
        var ttl: String?

        @OptionGroup var projectOptions: ProjectOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            var span: TimeSpan?
            if let ttl {
                guard let parsed = TimeSpan(ttl) else {
                    throw UsageError(
                        "--ttl \(NameRules.quoted(ttl)) is not a duration",
                        hint: "use e.g. 12h, 3d or 2w (at most 1000 years)")
                }
                span = parsed
            }
            let summary = try await projectOptions.engine().createEnvironment(name, from: from, ttl: span)
            if output.json { return try Terminal.json(summary) }
            print(
                "created \(summary.name) from \(from) at \(summary.head?.short ?? "empty") (zero-copy, \(summary.datasets) datasets); \(summary.lifecycle)"
            )
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List environments with their heads and lifecycles.")

        @OptionGroup var projectOptions: ProjectOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let environments = try await projectOptions.engine().listEnvironments()
            if output.json { return try Terminal.json(environments) }
            Terminal.table(
                ["ENVIRONMENT", "HEAD", "DATASETS", "PROTECTED", "LAST USED", "EXPIRES", "LIFECYCLE"],
                environments.map {
                    [
                        $0.name, $0.head?.short ?? "empty", "\($0.datasets)", $0.protected ? "yes" : "no",
                        Terminal.time($0.lastUsedAt),
                        Terminal.time($0.expiresAt), $0.lifecycle,
                    ]
                })
        }
    }

    struct Reset: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Put a working environment back on another's head (audited; never a protected one).")

        @Argument(help: "The environment that moves, e.g. dev.")
        var name: String

        @Option(help: "The environment whose head it takes, e.g. prod.")
        var to: String

        @OptionGroup var projectOptions: ProjectOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let reset = try await projectOptions.engine().resetEnvironment(name, to: to)
            if output.json { return try Terminal.json(reset) }
            print("\(reset.name) is at \(reset.head?.short ?? "empty"), as \(to) is")
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete an environment's ref (audited; never a protected one). Its data goes at the next gc.")

        @Argument(help: "The environment to delete, e.g. sandbox/alice-exp.")
        var name: String

        @OptionGroup var projectOptions: ProjectOptions

        func run() async throws {
            let deleted = try await projectOptions.engine().deleteEnvironment(name)
            print("deleted \(deleted.name) (it was at \(deleted.head?.short ?? "empty")); sluice gc frees its data")
        }
    }
}
