import Foundation
import Logging
import SluiceCore

/// How to run a pipeline.
public struct RunOptions: Sendable {
    public var environment: String
    /// Only these steps (their other inputs come from the environment); empty for all.
    public var select: [String]
    /// A failed run to finish: its steps that succeeded with the same cache key are not run again.
    public var resume: String?
    public var maxParallel: Int
    public var useCache: Bool
    /// The run's id when the caller must know it before the run starts (the API answers with it at once).
    public var runID: String?

    public init(
        environment: String, select: [String] = [], resume: String? = nil,
        maxParallel: Int = ProcessInfo.processInfo.activeProcessorCount, useCache: Bool = true
    ) {
        self.environment = environment
        self.select = select
        self.resume = resume
        self.maxParallel = max(1, maxParallel)
        self.useCache = useCache
    }
}

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

/// Runs a pipeline's steps as a DAG: each step once its upstream steps have succeeded, at most
/// `maxParallel` at a time, with retries and timeouts; a failed step stops its descendants while
/// independent branches finish. Nothing reaches the environment until every step has succeeded; then
/// all outputs land in one commit by compare-and-swap.
public struct PipelineRunner: Sendable {
    public let workspace: Workspace
    public let executor: any StepExecutor
    /// Where attempts get their working directories.
    public let scratch: URL
    public let sleep: @Sendable (Duration) async throws -> Void
    public let random: @Sendable () -> Double
    public let logger: Logger
    /// Called whenever the run record changes (a step started or ended), after it is saved.
    public let onChange: @Sendable (RunRecord) -> Void
    /// Stops the run from outside (a signal): no new step starts and running ones are killed.
    public let interruption: RunInterruption
    /// Called as each step starts, retries and finishes (the command line prints a line for each).
    public let onEvent: @Sendable (StepEvent) -> Void
    /// Set in the service: the run registers there, so that it can be cancelled on its own, and is recorded
    /// as running inside the service (whose process a cancellation must not signal).
    public let inProcess: InProcessRuns?
    /// Queues the OpenLineage events of runs as they happen, when the project names an endpoint.
    let lineage: RunLineageEmitter?

    public init(
        workspace: Workspace, executor: any StepExecutor = LocalStepExecutor(),
        scratch: URL = FileManager.default.temporaryDirectory,
        sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
        random: @escaping @Sendable () -> Double = { Double.random(in: 0..<1) }, logger: Logger? = nil,
        onChange: @escaping @Sendable (RunRecord) -> Void = { _ in }, interruption: RunInterruption = RunInterruption(),
        onEvent: @escaping @Sendable (StepEvent) -> Void = { _ in }, inProcess: InProcessRuns? = nil
    ) {
        self.interruption = interruption
        self.inProcess = inProcess
        self.onEvent = onEvent
        self.workspace = workspace
        self.executor = executor
        self.scratch = scratch
        self.sleep = sleep
        self.random = random
        self.logger = logger ?? workspace.logger
        self.onChange = onChange
        self.lineage = RunLineageEmitter(workspace: workspace, logger: logger ?? workspace.logger)
    }

    public func run(_ name: String, options: RunOptions) async throws -> RunRecord {
        // Every log line written while the run goes on carries its trace id (the audit lines included).
        let traceID = Self.newTraceID()
        return try await LogTrace.$traceID.withValue(traceID) {
            try await run(name, options: options, traceID: traceID)
        }
    }

    private func run(_ name: String, options: RunOptions, traceID: String) async throws -> RunRecord {
        let project = workspace.project
        guard let pipeline = project.pipelines[name] else {
            throw UsageError.notFound(
                "no pipeline \(NameRules.quoted(name)) in the project",
                hint: "pipelines: \(project.pipelines.keys.sorted().joined(separator: ", "))")
        }
        let graph = try StepGraph(pipeline)
        let target = options.environment
        // Every check on the request comes before anything is created (a staging environment included).
        var selected = Set(graph.steps.indices)
        if !options.select.isEmpty {
            selected = []
            for step in options.select {
                guard let index = graph.index(of: step) else {
                    throw UsageError.notFound(
                        "pipeline \(name) has no step \(NameRules.quoted(step))",
                        hint: "steps: \(graph.steps.map(\.name).joined(separator: ", "))")
                }
                selected.insert(index)
            }
        }
        var previous: RunRecord?
        if let resume = options.resume {
            guard let found = try await workspace.recorder.storedRun(resume) else {
                throw UsageError.notFound("no run \(NameRules.quoted(resume))", hint: "sluice runs lists them")
            }
            guard found.pipeline == name, found.environment == target else {
                throw UsageError(
                    "run \(resume) was of \(found.pipeline) in \(found.environment), not \(name) in \(target)")
            }
            guard found.status != .succeeded else {
                throw UsageError("run \(resume) already succeeded; nothing to resume")
            }
            previous = found
        }
        let runID = options.runID ?? Self.newRunID(now: workspace.now())
        // A protected environment is written only by write-audit-publish: the run works in a fresh
        // staging environment branched from it, and the target moves by promotion once all has passed.
        let protected = workspace.policy.isProtected(target)
        let environment: String
        if protected {
            environment = try await workspace.beginStaging(for: target, runID: runID, pipeline: pipeline)
        } else {
            environment = target
            try await workspace.requireRun(pipeline, environment: environment)
        }
        let (record, head) = try await workspace.environmentHead(environment)
        let earlier = options.useCache ? try await workspace.recorder.earlierRuns(pipeline: name) : []
        var run = RunRecord(
            id: runID, pipeline: name, environment: target, principal: workspace.identity.name,
            traceID: traceID, gitCommit: await workspace.recordedGitCommit(), baseCommit: head?.id,
            maxParallel: options.maxParallel, startedAt: workspace.now(),
            steps: graph.order.filter { selected.contains($0) }.map { StepRun(step: graph.steps[$0].name) })
        run.resumedFrom = options.resume
        run.workEnvironment = environment
        run.host = ProcessInfo.processInfo.hostName
        run.pid = getpid()
        if inProcess != nil { run.inService = true }
        var log = logger
        log[metadataKey: "trace.id"] = "\(run.traceID)"
        log[metadataKey: "run.id"] = "\(run.id)"
        log[metadataKey: "pipeline"] = "\(name)"
        log[metadataKey: "environment"] = "\(environment)"
        log[metadataKey: "event.dataset"] = "sluice.run"
        log[metadataKey: "user.name"] = "\(run.principal)"
        try await save(run)
        log.info("run started", metadata: ["event.action": "run-started", "steps": "\(run.steps.count)"])
        EngineMetrics.runStarted(run)
        try await workspace.recorder.touch(environment: environment)
        // Private to the run: its inputs are nobody else's to read (a command step's user gets it for the run).
        let directory = scratch.appendingPathComponent("sluice-run-\(runID)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(
            at: directory, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(at: directory) }
        // What attempts print, as they print it, for `logs --follow`; gone when the run ends (its attempts
        // keep their output as objects).
        let live = workspace.liveLogFolder(run: runID)
        if let live {
            try FileManager.default.createDirectory(
                at: live, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        }
        defer { if let live { try? FileManager.default.removeItem(at: live) } }

        // Waiting counts only steps of this run; inputs from unselected steps come from the environment.
        var waiting = graph.upstream.map { $0.filter { selected.contains($0) }.count }
        var ready = graph.order.filter { selected.contains($0) && waiting[$0] == 0 }
        var produced: [DatasetName: ObjectID] = [:]
        var blocked = Set<Int>()
        let context = StepContext(
            workspace: workspace, executor: executor, head: head, previous: previous, earlier: earlier,
            sleep: sleep, random: random, logger: log, runID: runID, pipeline: name, environment: environment,
            gitCommit: run.gitCommit, onEvent: onEvent,
            deferring: Set(selected.flatMap { graph.steps[$0].outputs }))
        let executor = self.executor
        let progress = LatestRecord()
        let own = inProcess?.begin(runID)
        defer { inProcess?.end(runID) }
        let interruption = RunInterruption.either(self.interruption, own)
        interruption.onInterrupt { executor.stopAll() }
        do {
            // The run beats while it schedules, so a killed process is recognised as abandoned.
            try await withThrowingTaskGroup(of: Void.self) { beating in
                beating.addTask { [recorder = workspace.recorder] in
                    while true {
                        try await Task.sleep(for: .seconds(RunRecord.heartbeatInterval.seconds))
                        try await recorder.beat(runID)
                    }
                }
                beating.addTask {
                    while true {
                        try await Task.sleep(for: .milliseconds(200))
                        if let latest = progress.take() { try await save(latest) }
                    }
                }
                try await schedule()
                beating.cancelAll()
            }
        } catch {
            // Whatever stopped the run, its record must not stay `running`.
            run.status = .failed
            run.endedAt = workspace.now()
            run.message = "stopped: \(error)"
            try? await finish(&run)
            throw error
        }
        // The record is saved as steps start and end, at most every 200 ms (by the task above, within 200 ms
        // of the change): a pipeline of a thousand small steps must not rewrite it a thousand times. A killed
        // run loses at most that much progress, which --resume (or the cache) makes up.
        func schedule() async throws {
            try await withThrowingTaskGroup(of: (Int, StepRun).self) { group in
                var running = 0
                func startReady() async throws {
                    while running < options.maxParallel, !ready.isEmpty, interruption.interruptedBecause == nil {
                        let index = ready.removeFirst()
                        let step = graph.steps[index]
                        let inputs = produced
                        run.update(step.name) {
                            $0.status = .running
                            $0.startedAt = workspace.now()
                        }
                        progress.offer(run)
                        running += 1
                        onEvent(StepEvent(step: step.name, kind: .started))
                        group.addTask {
                            (index, try await context.perform(step, produced: inputs, directory: directory))
                        }
                    }
                }
                try await startReady()
                while let (index, result) = try await group.next() {
                    running -= 1
                    let seconds = result.startedAt.flatMap { start in
                        result.endedAt.map { Double($0.milliseconds - start.milliseconds) / 1000 }
                    }
                    onEvent(
                        StepEvent(
                            step: result.step, kind: .finished(result.status, message: result.message, seconds: seconds)
                        ))
                    run.update(result.step) { $0 = result }
                    if result.status == .failed {
                        for descendant in graph.descendants(of: index) where selected.contains(descendant) {
                            blocked.insert(descendant)
                            run.update(graph.steps[descendant].name) {
                                $0.status = .skipped
                                $0.message = "not run: \(result.step) failed"
                            }
                        }
                        ready.removeAll { blocked.contains($0) }
                    } else {
                        for (dataset, version) in result.outputs {
                            if let name = DatasetName(dataset) { produced[name] = version }
                        }
                        for child in graph.downstream[index].sorted() where selected.contains(child) {
                            waiting[child] -= 1
                            if waiting[child] == 0 && !blocked.contains(child) { ready.append(child) }
                        }
                    }
                    progress.offer(run)
                    try await startReady()
                }
            }
        }
        run.endedAt = workspace.now()
        if let why = interruption.interruptedBecause {
            run.cancel(because: "cancelled: \(why)", at: run.endedAt ?? workspace.now())
            try await finish(&run)
            log.warning(
                "run cancelled",
                metadata: [
                    "event.action": "run-finished", "event.outcome": "failure", "error.message": "\(why)",
                    "error.type": "RunCancelled",
                ])
            throw RunCancelled(run: run)
        }
        if run.steps.allSatisfy({ [.succeeded, .cached, .resumed].contains($0.status) }) {
            try await checkLanding(&run, produced: produced, head: head)
        }
        guard run.steps.allSatisfy({ [.succeeded, .cached, .resumed].contains($0.status) }) else {
            run.status = .failed
            run.message =
                "steps failed: " + run.steps.filter { $0.status == .failed }.map(\.step).joined(separator: ", ")
            try await finish(&run)
            log.error(
                "run failed",
                metadata: [
                    "event.action": "run-finished", "event.outcome": "failure", "error.message": "\(run.message ?? "")",
                    "error.type": "RunFailed",
                ])
            throw RunFailed(run: run)
        }
        // Every output is in the saved record before anything lands: a collection running meanwhile keeps them.
        try await save(run)
        do {
            if let head, produced.allSatisfy({ head.version(of: $0.key) == $0.value }) {
                // Every output is already what the environment holds: nothing to land, and a staging
                // environment has nothing to publish, so it goes now.
                run.commit = head.id
                run.message = "outputs unchanged; \(target) did not move"
                if protected { try await workspace.endStaging(environment) }
            } else {
                let commit = try await workspace.landRun(produced, environment: record, base: head, run: run)
                run.commit = commit.id
                if protected {
                    // Publish: every step and gate passed in staging; the target fast-forwards to it.
                    let promotion = try await workspace.promote(from: environment, to: target)
                    run.commit = promotion.commit
                    run.message = "published from \(environment)"
                    try await workspace.endStaging(environment)
                }
            }
            run.status = .succeeded
        } catch {
            run.status = .failed
            run.message = "\(error)"
            try await finish(&run)
            throw error
        }
        try await finish(&run)
        log.info(
            "run succeeded",
            metadata: [
                "event.action": "run-finished", "event.outcome": "success", "commit": "\(run.commit?.hex ?? "")",
            ])
        return run
    }

    /// Judges the `references` of what lands together (see `Workspace.checkLanding`); an output that fails
    /// fails the step that wrote it (or reused it), so the run fails and nothing lands.
    private func checkLanding(_ run: inout RunRecord, produced: [DatasetName: ObjectID], head: Commit?) async throws {
        var outputs: [DatasetName: (version: ObjectID, reused: Bool)] = [:]
        var writer: [DatasetName: String] = [:]
        for step in run.steps {
            for (dataset, version) in step.outputs {
                guard let name = DatasetName(dataset), produced[name] == version else { continue }
                outputs[name] = (version, step.status != .succeeded)
                writer[name] = step.step
            }
        }
        let landing = (head?.content.datasets ?? [:]).merging(
            produced.map { ($0.key.description, $0.value) }, uniquingKeysWith: { $1 })
        let failures = try await workspace.checkLanding(outputs, landing: landing, runID: run.id)
        for (dataset, reason) in failures.sorted(by: { $0.key.description < $1.key.description }) {
            guard let step = writer[dataset] else { continue }
            let message = "its output \(dataset) failed the quality gate: \(reason)"
            run.update(step) {
                $0.status = .failed
                $0.message = message
            }
            onEvent(StepEvent(step: step, kind: .finished(.failed, message: message, seconds: nil)))
        }
    }

    /// Saves the ended run and seals its outcome in the audit chain.
    /// Saves the run's end (the record returned is the record as saved) and seals it in the audit chain.
    private func finish(_ run: inout RunRecord) async throws {
        run.heartbeatAt = workspace.now()
        try await workspace.recorder.save(run)
        onChange(run)
        await lineage?.observe(run)
        try await workspace.recordRunEnded(run)
    }

    private func save(_ run: RunRecord) async throws {
        var run = run
        run.heartbeatAt = workspace.now()
        try await workspace.recorder.save(run)
        onChange(run)
        await lineage?.observe(run)
    }

    /// Sortable by time and unique: `r` + UTC time + 6 random hex digits.
    public static func newRunID(now: Timestamp) -> String {
        let date = Date(timeIntervalSince1970: Double(now.milliseconds) / 1000)
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.locale = Locale(identifier: "en_US_POSIX")
        let suffix = String(UInt32.random(in: 0x10_0000...0xFF_FFFF), radix: 16)
        return "r\(formatter.string(from: date))-\(suffix)"
    }

    /// 32 hex digits, as trace ids are written in W3C trace context and ECS.
    static func newTraceID() -> String {
        (0..<2).map { _ in
            let value = UInt64.random(in: 1...UInt64.max)
            let hex = String(value, radix: 16)
            return String(repeating: "0", count: 16 - hex.count) + hex
        }.joined()
    }
}

/// The newest state of a run record not saved yet, handed from the scheduling loop to the task saving it.
final class LatestRecord: @unchecked Sendable {
    private let lock = NSLock()
    private var latest: RunRecord?

    func offer(_ run: RunRecord) { lock.withLock { latest = run } }

    func take() -> RunRecord? {
        lock.withLock {
            defer { latest = nil }
            return latest
        }
    }
}
