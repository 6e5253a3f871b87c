import ArgumentParser
import SluiceCore

struct DatasetsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "datasets", abstract: "List the datasets of an environment, or show one.",
        subcommands: [List.self, Show.self], defaultSubcommand: List.self)

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List datasets with their current versions.")

        @Option(help: "The environment (default: the project's default environment).")
        var env: String?

        @OptionGroup var projectOptions: ProjectOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let entries = try await projectOptions.engine().datasets(in: env)
            if output.json { return try Terminal.json(entries) }
            Terminal.table(
                ["DATASET", "VERSION", "ROWS", "SIZE", "CLASSIFICATION", "OWNER", "CREATED"],
                entries.map {
                    [
                        $0.name, $0.version?.short ?? "-", $0.rows.map(String.init) ?? "-", Terminal.bytes($0.bytes),
                        $0.classification ?? "-", $0.owner ?? "-", Terminal.time($0.createdAt),
                    ]
                })
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one dataset: version, schema, files, history.")

        @Argument(help: "The dataset, zone.name.")
        var name: String

        @Option(help: "The environment (default: the project's default environment).")
        var env: String?

        @OptionGroup var projectOptions: ProjectOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let details = try await projectOptions.engine().datasetDetails(name, in: env)
            if output.json { return try Terminal.json(details) }
            let entry = details.entry
            print("dataset:        \(entry.name) in \(details.environment)")
            print("version:        \(entry.version?.hex ?? "none")")
            print("rows, size:     \(entry.rows.map(String.init) ?? "-"), \(Terminal.bytes(entry.bytes))")
            print("owner:          \(entry.owner ?? "-") (\(entry.classification ?? "unclassified"))")
            print("written by:     \(details.writer ?? "nothing")")
            print("lifecycle:      \(details.lifecycle)")
            print("schema:         \(details.schema.isEmpty ? "-" : details.schema.joined(separator: ", "))")
            if !details.contractColumns.isEmpty {
                print("contract:       \(details.contractColumns.joined(separator: ", "))")
            }
            if !details.pii.isEmpty { print("pii columns:    \(details.pii.joined(separator: ", "))") }
            if !details.files.isEmpty {
                print("files:")
                for file in details.files {
                    print(
                        "  \(file.name)  \(file.rows) rows  \(Terminal.bytes(file.bytes))  \(file.chunks.count) chunk(s)"
                    )
                }
            }
            if !details.history.isEmpty {
                print("history:")
                for item in details.history {
                    print(
                        "  \(item.version.short)  \(Terminal.time(item.at))  by \(item.actor)  commit \(item.commit.short)"
                    )
                }
            }
        }
    }
}
