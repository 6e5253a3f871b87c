import ArgumentParser
import Foundation
import SluiceCore
import SluiceRunner
import SluiceStore

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Build a demo project with generated data and walk through ingest, promotion and a denied write.")

    @Argument(help: "The folder to build it in (default: ./sluice-demo).")
    var directory = "sluice-demo"

    @Flag(help: "Replace the folder if it exists.")
    var force = false

    func run() async throws {
        let folder = URL(fileURLWithPath: directory).standardizedFileURL
        let manager = FileManager.default
        if manager.fileExists(atPath: folder.path) {
            let contents = (try? manager.contentsOfDirectory(atPath: folder.path)) ?? []
            if !contents.isEmpty {
                guard force else {
                    throw UsageError(
                        "\(folder.path) exists and is not empty",
                        hint: "pass --force to replace it, or name another folder")
                }
                try manager.removeItem(at: folder)
            }
        }
        let scenario = DemoScenario(folder: folder, git: GitWorkTree())
        try scenario.prepare()
        print("Built a demo project in \(folder.path) (customers and orders, committed to git).\n")
        let project = try ProjectLoader(files: LocalFileSource()).loadValidated(root: folder).project
        let workspace = try await scenario.run(
            project: project,
            workspace: { token in try await ProjectOptions.workspace(for: project, token: token) },
            report: { Swift.print($0) },
            pipeline: { ci in
                let run = try await PipelineRunner(workspace: ci).run("daily", options: RunOptions(environment: "prod"))
                let steps = run.steps.map { "\($0.step) \($0.status.rawValue)" }.joined(separator: ", ")
                return "run \(run.id): \(steps); prod now at \(run.commit?.short ?? "-") (\(run.message ?? "landed"))"
            })
        print("\n$ sluice status --project \(directory)")
        StatusPrinter.print(try await workspace.status())
        print(
            "\nTry: cd \(directory) && sluice datasets --env prod && sluice cat curated.revenue_by_country --env prod && sluice audit"
        )
    }
}
