import ArgumentParser
import Foundation
import SluiceCore
import SluiceQuality
import SluiceRunner
import SluiceStore

struct TestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test",
        abstract: "Run every step test on its fixtures in a throwaway store and compare the outputs.",
        discussion: "Exit 0 when every test passes, 1 when any fails. The project's store is not touched.")

    @Argument(help: "Only this pipeline's tests.")
    var pipeline: String?

    @Option(help: "Only this step's tests.")
    var step: String?

    @OptionGroup var projectOptions: ProjectOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let (project, _) = try ProjectLoader(files: LocalFileSource()).loadValidated(root: projectOptions.root())
        // A throwaway store: fixtures and outputs live in memory and vanish with the process.
        let workspace = Workspace(
            project: project, objects: InMemoryObjectStore(), metadata: InMemoryMetadataStore(),
            identity: Identity(principal: "sluice-test", role: nil, authentication: .token, tokenID: nil),
            gate: ContractGate(), git: GitWorkTree(),
            files: LocalFileSource())
        let results = try await StepTester(runner: PipelineRunner(workspace: workspace)).run(
            pipeline: pipeline, step: step)
        if output.json {
            try Terminal.json(results)
        } else {
            for result in results {
                print("\(result.passed ? "ok  " : "FAIL") \(result.pipeline).\(result.step) \(result.test)")
                if let message = result.message {
                    for line in message.split(separator: "\n") { print("     \(line)") }
                }
            }
            let failed = results.filter { !$0.passed }.count
            print("\(results.count) test\(results.count == 1 ? "" : "s"), \(failed) failed")
        }
        if results.contains(where: { !$0.passed }) { throw ExitCode(ExitStatus.failed.rawValue) }
    }
}
