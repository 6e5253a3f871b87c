import ArgumentParser
import Foundation
import SluiceClient
import SluiceCore
import SluiceRunner

struct ReproduceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "reproduce",
        abstract: "Re-derive a dataset version from its recorded lineage, with no cache, and compare the bytes.",
        discussion: "Exit 0 when every step's output is byte-identical, 1 naming the first step that differs.")

    @Argument(help: "DATASET or DATASET@VERSION (a version id prefix).")
    var reference: String

    @Option(help: "The environment whose version to start from (default: the project's default).")
    var env: String?

    @OptionGroup var projectOptions: ProjectOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let result: ReproduceResult
        if let server = try projectOptions.serverURL() {
            result = try await RemoteEngine(server: server, token: CallerSecrets.token).reproduce(reference, in: env)
        } else {
            let workspace = try await projectOptions.workspace()
            result = try await Reproducer(runner: PipelineRunner(workspace: workspace)).reproduce(reference, in: env)
        }
        if output.json {
            try Terminal.json(result)
        } else {
            Terminal.table(
                ["STEP", "OUTPUT", "RECORDED", "REPRODUCED", "RESULT"],
                result.steps.map {
                    [
                        "\($0.pipeline).\($0.step)", $0.dataset, $0.recorded.short, $0.reproduced?.short ?? "-",
                        $0.matches ? "same bytes" : ($0.message.map { "failed: \($0)" } ?? "DIFFERS"),
                    ]
                })
            if result.matches {
                print("\(result.dataset)@\(result.version.short) reproduced: every output is byte-identical")
            }
        }
        if let step = result.firstDifference {
            throw FailureError(
                "\(result.dataset)@\(result.version.short) did not reproduce: step \(step) made different bytes from the same inputs and code (is it deterministic?)"
            )
        }
    }
}
