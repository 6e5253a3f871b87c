import ArgumentParser
import Foundation
import SluiceCore

struct QuarantineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "quarantine", abstract: "Read data the quality gates held back.",
        subcommands: [List.self, Show.self, Cat.self], defaultSubcommand: List.self)

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List quarantined batches, newest first.")

        @OptionGroup var projectOptions: ProjectOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let batches = try await projectOptions.engine().quarantineBatches()
            if output.json { return try Terminal.json(batches) }
            Terminal.table(
                ["ID", "KIND", "DATASET", "ENVIRONMENT", "ROWS", "WHEN", "REASON"],
                batches.map {
                    [
                        $0.id, $0.kind.rawValue, $0.dataset.description, $0.environment, "\($0.rows)",
                        Terminal.time($0.at), $0.reason,
                    ]
                })
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one quarantined batch and its gate report.")

        @Argument(help: "The batch id from `sluice quarantine list`.")
        var id: String

        @OptionGroup var projectOptions: ProjectOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let engine = try await projectOptions.engine()
            let batch = try await engine.quarantineBatch(id)
            let report = try await engine.checkRuns(dataset: batch.dataset.description, environment: nil)
                .first { $0.quarantine == batch.id }?.report
            if output.json { return try Terminal.json(Shown(batch: batch, report: report)) }
            print(
                "quarantine \(batch.id): \(batch.kind.rawValue) batch of \(batch.dataset) bound for \(batch.environment)"
            )
            print("from \(batch.origin) by \(batch.by) at \(Terminal.time(batch.at)); \(batch.rows) rows")
            print("reason: \(batch.reason)")
            for file in batch.files { print("  \(file.name)  \(Terminal.bytes(file.bytes))") }
            if let report { print(report.summary) }
            print("read it: sluice quarantine cat \(batch.id)")
        }

        struct Shown: Encodable {
            var batch: QuarantineBatch
            var report: ValidationReport?
        }
    }

    struct Cat: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Stream a quarantined batch: its original files, or its invalid rows as JSON Lines.")

        @Argument(help: "The batch id.")
        var id: String

        @OptionGroup var projectOptions: ProjectOptions

        func run() async throws {
            let output = FileHandle.standardOutput
            try await projectOptions.engine().streamQuarantine(id) { output.write($0) }
        }
    }
}
