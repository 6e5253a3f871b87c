import ArgumentParser
import SluiceCore

struct LogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log", abstract: "Show an environment's commits, newest first.")

    @Option(help: "The environment (default: the project's default environment).")
    var env: String?

    @Option(help: "Show at most this many commits.")
    var limit = 50

    @OptionGroup var projectOptions: ProjectOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let commits = try await projectOptions.engine().log(of: env, limit: try Terminal.pageLimit(limit))
        if output.json { return try Terminal.json(commits) }
        if commits.isEmpty { print("no commits yet") }
        for commit in commits {
            print("commit \(commit.id.hex)")
            print(
                "  \(Terminal.time(commit.content.createdAt))  by \(commit.content.actor)  git \(commit.content.gitCommit.map { String($0.prefix(12)) } ?? "-")"
            )
            print("  \(commit.content.message)")
            for (dataset, version) in commit.content.datasets.sorted(by: { $0.key < $1.key }) {
                print("    \(dataset) @ \(version.short)")
            }
        }
    }
}
