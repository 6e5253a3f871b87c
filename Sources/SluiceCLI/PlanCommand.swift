import ArgumentParser
import SluiceCore

struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show what sluice apply would change in the access policy in force (protection, roles, principals).")

    @OptionGroup var projectOptions: ProjectOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let plan = try await projectOptions.engine().planPolicy()
        if output.json { return try Terminal.json(plan) }
        PolicyPlanPrinter.print(plan, applied: false)
    }
}

enum PolicyPlanPrinter {
    static func print(_ plan: PolicyPlan, applied: Bool) {
        guard !plan.changes.isEmpty else {
            Swift.print("the access policy in force matches sluice.yaml: nothing to apply")
            return
        }
        for change in plan.changes { Swift.print(change) }
        Swift.print(
            applied
                ? "applied \(plan.changes.count) changes to the access policy"
                : "\(plan.changes.count) changes; an admin applies them with sluice apply (from a clean git tree)")
    }
}
