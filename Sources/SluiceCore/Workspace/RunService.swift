import Foundation

/// Captured output of one attempt.
public struct AttemptLog: Sendable, Codable, Hashable {
    public var step: String
    public var attempt: Int
    public var stdout: String
    public var stderr: String
}

/// Run records: lists, details, attempt logs, cancellation.
public struct RunService: UseCase {
    public let context: EngineContext

    public init(context: EngineContext) { self.context = context }

    /// Throws `AccessDenied` unless the caller may read the logs of `step` of `run`: every dataset the step
    /// read or wrote in the run, or declares, at its classification and unmasked. The run's own record and the
    /// project's declaration are joined, so a step still running (outputs not yet recorded) is covered too.
    func logsPermission(of run: RunRecord, step: String) -> Permission {
        var datasets = Set<DatasetName>()
        if let recorded = run.step(step) {
            for name in Array(recorded.inputs.keys) + Array(recorded.outputs.keys) {
                if let dataset = DatasetName(name) { datasets.insert(dataset) }
            }
        }
        if let declared = project.pipelines[run.pipeline]?.steps.first(where: { $0.name == step }) {
            datasets.formUnion(declared.inputs)
            datasets.formUnion(declared.outputs)
        }
        return .logs(datasets, in: run.environment)
    }

    /// The run, once the caller may read the logs of its step `step` (of every step when nil).
    @discardableResult
    public func requireLogs(run id: String, step: String?) async throws -> RunRecord {
        let run = try await runRecord(id, step: step)
        try await authorize(
            run.steps.filter { step == nil || $0.step == step }.map { logsPermission(of: run, step: $0.step) },
            action: "logs", target: step.map { "\(id)/\($0)" } ?? id)
        return run
    }

    /// Why the caller may not read the logs of `step` of `run`, or nil when it may (for pages that say so).
    public func logsHidden(of run: RunRecord, step: String) -> String? {
        visibility.whyNot(logsPermission(of: run, step: step))
    }

    /// Run records the principal may read, newest first.
    public func runRecords(pipeline: String? = nil) async throws -> [RunRecord] {
        let now = now()
        return try await metadata.runs(pipeline: pipeline).filter { visibility.mayRead($0.environment, zone: nil) }.map
        { $0.presented(at: now) }
    }

    /// One page of runs, newest first, without those in environments the caller may not read (so a page may
    /// hold fewer than its limit; `next` still goes on from where it ended).
    /// Abandoned runs are stored as running: either status is looked up as running, then told apart.
    public func runPage(_ filter: RunFilter, page: PageRequest) async throws -> Page<RunRecord> {
        var stored = filter
        if filter.status == .abandoned { stored.status = .running }
        var found = try await metadata.runs(stored, page: page)
        let now = now()
        found.items = found.items.map { $0.presented(at: now) }.filter {
            (filter.status == nil || $0.status == filter.status)
                && visibility.mayRead($0.environment, zone: nil)
        }
        return found
    }

    /// The run, and it has the step `step` when one is named (the logs of a step that is not there are an
    /// error, not an empty list).
    public func runRecord(_ id: String, step: String?) async throws -> RunRecord {
        let run = try await runRecord(id)
        if let step, run.step(step) == nil {
            throw UsageError.notFound(
                "run \(id) has no step \(NameRules.quoted(step))",
                hint: "steps: \(run.steps.map(\.step).joined(separator: ", "))")
        }
        return run
    }

    public func runRecord(_ id: String) async throws -> RunRecord {
        guard let run = try await metadata.run(id) else {
            throw UsageError.notFound("no run \(NameRules.quoted(id))", hint: "sluice runs lists them")
        }
        try await requireRead(run.environment)
        return run.presented(at: now())
    }

    /// The versions that step `step` of run `id` made, as its record says (`nil` when there is no such run):
    /// what a reproduction compares with. Only ids, which the lineage the caller read already names.
    public func recordedOutputs(run id: String, step: String) async throws -> [String: ObjectID]? {
        try await metadata.run(id)?.step(step)?.outputs
    }

    /// Every attempt's captured output, of one step or of all, in run order.
    /// A step's logs need a read of every dataset it reads or writes, unmasked (`requireLogs`): asking for
    /// all of a run's logs needs that for each of its steps.
    public func attemptLogs(run id: String, step: String?) async throws -> [AttemptLog] {
        let run = try await requireLogs(run: id, step: step)
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

    /// The last `limit` bytes of what an attempt of step `step` of `run` printed (`object`, its stdout or
    /// stderr), and whether some were left out. Refused (audited) unless the caller may read the step's logs.
    public func attemptOutput(
        of run: RunRecord, step: String, object: ObjectID, limit: Int
    ) async throws -> (text: String, cut: Bool) {
        try await authorize(logsPermission(of: run, step: step), action: "logs", target: "\(run.id)/\(step)")
        let printed = run.step(step)?.attempts.flatMap { [$0.stdout, $0.stderr] }.contains(object) ?? false
        guard printed else {
            throw UsageError.notFound("step \(step) of run \(run.id) printed no output \(object.short)")
        }
        let data = try await objects.read(object)
        let cut = data.count > limit
        return (String(decoding: cut ? data.suffix(limit) : data, as: UTF8.self), cut)
    }

    /// Seals how a run ended in the audit chain, with the digest of its record as saved, so that
    /// `sluice audit verify` notices an edited run record.
    func recordRunEnded(_ run: RunRecord) async throws {
        EngineMetrics.runEnded(run)
        // The event says how the run ended: a failed or cancelled run is not a success of anything.
        try await record(
            "run.finish", target: run.id, outcome: run.status == .succeeded ? .succeeded : .failed,
            details: [
                "pipeline": run.pipeline, "environment": run.workEnvironment, "status": run.status.rawValue,
                "digest": try run.auditDigest(), "reason": run.message ?? "",
            ])
    }

    /// What `cancelRun` did.
    public enum CancelOutcome: String, Sendable, Codable {
        /// The run's process is alive on this host and was asked to stop (SIGTERM); it records the end.
        case signalled
        /// Its process is gone: the record was ended as cancelled here.
        case marked
    }

    /// Cancels a running run: asks its process to stop when it still runs on this host, else (abandoned, or
    /// elsewhere and silent) ends its record as cancelled. Needs `write` on the environment it works in.
    /// A run inside this very process (the service's) is stopped by `stopInProcess`, which says whether it
    /// knew the run; a run inside a service elsewhere is cancelled through that service, never by a signal.
    public func cancelRun(
        _ id: String, stopInProcess: @Sendable (String) -> Bool = { _ in false }
    ) async throws -> CancelOutcome {
        try await audited("run.cancel-request", target: id) {
            guard var run = try await metadata.run(id) else {
                throw UsageError.notFound("no run \(NameRules.quoted(id))", hint: "sluice runs lists them")
            }
            try await authorize(.environment(.write, run.workEnvironment))
            guard run.status == .running else {
                throw UsageError("run \(id) already ended (\(run.status.rawValue)); nothing to cancel")
            }
            let here = run.host == ProcessInfo.processInfo.hostName
            if here, run.pid == getpid() {
                if stopInProcess(id) { return (.signalled, ["pid": "\(getpid())"]) }
            } else if run.inService == true, !run.isAbandoned(at: now()) {
                throw ConflictError(
                    "run \(id) goes on inside the service (pid \(run.pid.map(String.init) ?? "?") on \(run.host ?? "?")); cancel it through the service\n"
                        + "hint: sluice --server URL runs cancel \(id), or POST /api/v1/runs/\(id)/cancel")
            } else if here, let pid = run.pid, !run.isAbandoned(at: now()), kill(pid, 0) == 0 {
                guard kill(pid, SIGTERM) == 0 else {
                    throw FailureError("cannot signal process \(pid) of run \(id): \(String(cString: strerror(errno)))")
                }
                return (.signalled, ["pid": "\(pid)"])
            }
            if !here, run.inService != true, !run.isAbandoned(at: now()) {
                throw ConflictError(
                    "run \(id) is alive on \(run.host ?? "another host") (it beat \(run.heartbeatAt?.iso8601 ?? "recently")); cancel it there, or wait until it is abandoned"
                )
            }
            run.cancel(because: "cancelled by \(identity.name): its process was gone", at: now())
            try await metadata.saveRun(run)
            try await recordRunEnded(run)
            return (.marked, ["reason": "abandoned"])
        }
    }
}
