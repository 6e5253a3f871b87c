import SluiceCore

/// A run that did not succeed: the environment is unchanged; the record says which steps failed.
public struct RunFailed: RunEndedBadly {
    public var run: RunRecord
    public init(run: RunRecord) { self.run = run }
    public var status: ExitStatus { .failed }
    public var code: ErrorCode { .runFailed }

    public var description: String {
        var lines = ["run \(run.id) of \(run.pipeline) failed; \(run.environment) is unchanged"]
        if run.workEnvironment != run.environment {
            lines.append("its staging environment \(run.workEnvironment) is kept for inspection")
        }
        for step in run.steps where step.status == .failed || step.status == .skipped {
            lines.append("  \(step.step): \(step.status.rawValue)\(step.message.map { ": \($0)" } ?? "")")
        }
        lines.append(
            "hint: see sluice logs \(run.id) STEP; fix the cause and finish it with sluice run \(run.pipeline) --resume \(run.id)"
        )
        return lines.joined(separator: "\n")
    }
}
