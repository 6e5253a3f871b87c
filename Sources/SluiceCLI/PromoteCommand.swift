import ArgumentParser
import SluiceCore

struct PromoteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "promote",
        abstract:
            "Promote one environment into another, gated and audited: a fast-forward, or a merge at dataset granularity (the only way into a protected environment)."
    )

    @Option(help: "The environment whose head is promoted.")
    var from: String

    @Option(help: "The environment that moves.")
    var to: String

    @OptionGroup var projectOptions: ProjectOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let result = try await projectOptions.engine().promote(from: from, to: to)
        if output.json { return try Terminal.json(result) }
        if result.upToDate {
            print("\(result.to) is already at \(result.commit.short); nothing to promote")
        } else {
            print(
                "promoted \(result.from) → \(result.to): \(result.previous?.short ?? "empty") → \(result.commit.short) "
                    + "(\(result.datasets.count) datasets, git \(result.gitCommit.prefix(12)))")
        }
    }
}
