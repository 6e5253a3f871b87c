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
        if let repository = DemoFolder.excludeFromEnclosingRepository(folder) {
            print("\n(\(folder.lastPathComponent)/ is listed in \(repository), so that git there leaves it alone.)")
        }
        printNextSteps(folder)
    }

    /// The three things to try next, each as it can be typed in this shell.
    private func printNextSteps(_ folder: URL) {
        let sluice = Invocation.sluice
        let here = Invocation.shellQuoted(folder.path)
        print(
            """

            Next:
              1. Serve it:  \(sluice) serve --project \(here)
                 then open http://127.0.0.1:8080/ui
              2. Sign in as ops: paste SLUICE_TOKEN_OPS from \(folder.appendingPathComponent(DemoTokens.fileName).path)
                 at http://127.0.0.1:8080/ui/signin (ci and alice are in it too)
              3. Run the pipeline as ci, and watch it on the UI's Runs page:
                 cd \(here) && . ./\(DemoTokens.fileName) && SLUICE_TOKEN=$SLUICE_TOKEN_CI \(sluice) run daily --env dev
            """)
    }
}
