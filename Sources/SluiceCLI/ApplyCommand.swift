import ArgumentParser
import SluiceCore

struct ApplyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apply",
        abstract: "Make the committed access policy in sluice.yaml the one in force (admin token, clean git tree).",
        discussion: """
            The policy in force (which environments are protected, roles and their grants, principals) is kept \
            in the store's audit chain; edits of sluice.yaml change nothing until applied.
            """)

    @OptionGroup var projectOptions: ProjectOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let plan = try await projectOptions.engine().applyPolicy()
        if output.json { return try Terminal.json(plan) }
        PolicyPlanPrinter.print(plan, applied: true)
    }
}
