import Foundation

/// Captured output of one attempt.
public struct AttemptLog: Sendable, Codable {
    public var step: String
    public var attempt: Int
    public var stdout: String
    public var stderr: String
}

extension Workspace {
    /// Run records the principal may read, newest first.
    public func runRecords(pipeline: String? = nil) async throws -> [RunRecord] {
        try await metadata.runs(pipeline: pipeline).filter {
            (try? policy.require(.read, on: $0.environment, by: identity)) != nil
        }
    }

    public func runRecord(_ id: String) async throws -> RunRecord {
        guard let run = try await metadata.run(id) else {
            throw UsageError("no run \(NameRules.quoted(id))", hint: "sluice runs lists them")
        }
        try await requireRead(run.environment)
        return run
    }

    /// Every attempt's captured output, of one step or of all, in run order.
    public func attemptLogs(run id: String, step: String?) async throws -> [AttemptLog] {
        let run = try await runRecord(id)
        if let step, run.step(step) == nil {
            throw UsageError(
                "run \(id) has no step \(NameRules.quoted(step))",
                hint: "steps: \(run.steps.map(\.step).joined(separator: ", "))")
        }
        var logs: [AttemptLog] = []
        for stepRun in run.steps where step == nil || stepRun.step == step {
            for attempt in stepRun.attempts {
                func text(_ object: ObjectID?) async throws -> String {
                    guard let object else { return "" }
                    return String(decoding: try await objects.read(object), as: UTF8.self)
                }
                logs.append(
                    AttemptLog(
                        step: stepRun.step, attempt: attempt.number, stdout: try await text(attempt.stdout),
                        stderr: try await text(attempt.stderr)))
            }
        }
        return logs
    }
}
