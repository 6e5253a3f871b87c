import Foundation
import SluiceClient
import SluiceCore
import SluiceRunner

/// `sluice run` in server mode: the service runs the pipeline; this process starts it, follows its record
/// (turning each step's change into the event a local run would have printed) and ends as a local run would:
/// the record when it succeeded, `RunFailed` or `RunCancelled` otherwise. A signal asks the service to cancel.
struct RemoteRun {
    let engine: RemoteEngine
    let onEvent: @Sendable (StepEvent) -> Void
    var pollInterval: Duration = .milliseconds(250)

    func run(
        _ pipeline: String, environment: String?, select: [String], resume: String?, maxParallel: Int?,
        useCache: Bool
    ) async throws -> RunRecord {
        let id = try await engine.startRun(
            pipeline, environment: environment, select: select, resume: resume, maxParallel: maxParallel,
            useCache: useCache)
        let traps = SignalTrap.install { [engine] _ in
            Task { _ = try? await engine.cancelRun(id) }
        }
        defer { traps.forEach { $0.cancel() } }
        let attempts = (try? await engine.project().attempts?[pipeline]) ?? [:]
        var seen: [String: StepStatus] = [:]
        var retried: [String: Int] = [:]
        while true {
            let run = try await engine.runRecord(id)
            for step in run.steps {
                report(step, after: seen[step.step] ?? .pending)
                retried[step.step] = reportRetries(step, after: retried[step.step] ?? 0, of: attempts[step.step])
            }
            seen = Dictionary(run.steps.map { ($0.step, $0.status) }, uniquingKeysWith: { $1 })
            switch run.status {
            case .running: try await Task.sleep(for: pollInterval)
            case .succeeded: return run
            case .failed, .abandoned: throw RunFailed(run: run)
            case .cancelled: throw RunCancelled(run: run)
            }
        }
    }

    /// A retry line for each failed attempt that another attempt followed, as a local run prints them; returns
    /// how many were reported.
    private func reportRetries(_ step: StepRun, after reported: Int, of total: Int?) -> Int {
        let retried = step.attempts.dropLast().filter { !$0.succeeded }
        for attempt in retried.dropFirst(reported) {
            onEvent(
                StepEvent(
                    step: step.step,
                    kind: .retrying(
                        failedAttempt: attempt.number, of: total ?? step.attempts.count,
                        reason: attempt.message ?? "it failed")))
        }
        return max(reported, retried.count)
    }

    /// The events between what was seen of a step and what it is now.
    private func report(_ step: StepRun, after seen: StepStatus) {
        guard step.status != seen else { return }
        if seen == .pending && step.status != .pending && step.status != .skipped {
            onEvent(StepEvent(step: step.step, kind: .started))
        }
        guard ![.pending, .running].contains(step.status) else { return }
        let seconds = step.startedAt.flatMap { start in
            step.endedAt.map { Double($0.milliseconds - start.milliseconds) / 1000 }
        }
        onEvent(StepEvent(step: step.step, kind: .finished(step.status, message: step.message, seconds: seconds)))
    }
}
