import ArgumentParser
import SluiceCore

struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Review a change to the project's policies, and show what sluice apply would change.",
        discussion: """
            Compares the project's files with those of --against (a git revision), or by default with those of \
            the commit whose policy is in force (HEAD when none was applied): grants added or removed, who may \
            now change a protected environment, environments protected or unprotected, lifecycles shortened or \
            removed, datasets reclassified, PII columns dropped, contracts loosened (a check removed, a range \
            widened, error → warn), new write paths. `!` marks a change that needs a second approval (wider \
            write access to a protected environment, a protection removed, a contract loosened on data that \
            reaches one): then the exit status is 1. `~` marks a risky change. Without --against it also shows \
            what `sluice apply` would change in the access policy in force.
            """)

    @Option(help: "The git revision to review the working tree against (a branch, tag or commit).")
    var against: String?

    @OptionGroup var projectOptions: ProjectOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let plan = try await projectOptions.engine().planPolicy(against: against)
        if output.json {
            try Terminal.json(plan)
        } else {
            PolicyPlanPrinter.print(plan, applied: false)
            if let review = plan.review { Self.print(review) }
        }
        if let problem = plan.reviewProblem { Terminal.warn("no policy review: \(problem)") }
        if plan.review?.blocking == true { throw ExitCode(ExitStatus.failed.rawValue) }
    }

    static func print(_ review: PolicyReview) {
        Swift.print("policy review: the working tree against \(review.against)")
        guard !review.changes.isEmpty else {
            Swift.print("  no changes to access, protection, lifecycles, classification, PII, contracts or write paths")
            return
        }
        for change in review.changes {
            let mark = change.risk == .blocking ? "!" : change.risk == .risky ? "~" : " "
            Swift.print("\(mark) \(change.message)")
        }
        let blocking = review.changes.filter { $0.risk == .blocking }.count
        let risky = review.changes.filter { $0.risk == .risky }.count
        Swift.print(
            "\(review.changes.count) changes: \(blocking) need a second approval (!), \(risky) risky (~)"
                + (blocking > 0 ? "; exit status 1" : ""))
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
