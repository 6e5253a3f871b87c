import Foundation
import Logging
import SluiceCore

/// Runs a pipeline's steps as a DAG over a `RunSession`: each step once its upstream steps have succeeded, at
/// most the run's `maxParallel` at a time, with retries and timeouts; a failed step stops its descendants while
/// independent branches finish. What the run may do and what lands is the session's (`RunService.begin`,
/// `RunSession.land`): nothing reaches the environment until every step has succeeded.
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
    }

    /// Begins a run of `name` (`RunService.begin`) and executes it to its end.
    public func run(_ name: String, options: RunOptions) async throws -> RunRecord {
        try await execute(try await begin(name, options: options))
    }

    /// Begins a run of `name` as this runner's caller; every log line of it carries its trace id.
    public func begin(_ name: String, options: RunOptions) async throws -> RunSession {
        var options = options
        if inProcess != nil { options.inService = true }
        let traceID = RunRecord.newTraceID()
        let session = try await LogTrace.$traceID.withValue(traceID) {
            try await workspace.beginRun(name, options: options, traceID: traceID)
        }
        onChange(session.started)
        return session
    }

    /// Executes a begun run: its steps, then its landing, and its end in the record and the audit chain.
    public func execute(_ session: RunSession) async throws -> RunRecord {
        // Every log line written while the run goes on carries its trace id (the audit lines included).
        try await LogTrace.$traceID.withValue(session.started.traceID) { try await drive(session) }
    }

    private func drive(_ session: RunSession) async throws -> RunRecord {
        var run = session.started
        let log = runLogger(run)
        log.info("run started", metadata: ["event.action": "run-started", "steps": "\(run.steps.count)"])
        let own = inProcess?.begin(run.id)
        defer { inProcess?.end(run.id) }
        let interruption = RunInterruption.either(self.interruption, own)
        interruption.onInterrupt { [executor] in executor.stopAll() }
        let produced: [DatasetName: ObjectID]
        do {
            produced = try await RunFolders(scratch: scratch, session: session).withFolders { directory in
                try await beating(session) { progress in
                    try await schedule(
                        session, &run, directory: directory, log: log, progress: progress,
                        interruption: interruption)
                }
            }
        } catch {
            // Whatever stopped the run, its record must not stay `running`.
            run.status = .failed
            run.endedAt = session.now()
            run.message = "stopped: \(error)"
            _ = try? await finish(run, session)
            throw error
        }
        run.endedAt = session.now()
        if let why = interruption.interruptedBecause {
            run.cancel(because: "cancelled: \(why)", at: run.endedAt ?? session.now())
            run = try await finish(run, session)
            log.warning("run cancelled", metadata: Self.failure("\(why)", type: "RunCancelled"))
            throw RunCancelled(run: run)
        }
        return try await conclude(run, session, produced: produced, log: log)
    }

    /// Lands a run whose steps all ended well, or ends it failed.
    private func conclude(
        _ run: RunRecord, _ session: RunSession, produced: [DatasetName: ObjectID], log: Logger
    ) async throws -> RunRecord {
        var run = run
        if run.steps.allSatisfy(\.endedWell) {
            do {
                for refusal in try await session.land(&run, produced: produced) {
                    onEvent(
                        StepEvent(step: refusal.step, kind: .finished(.failed, message: refusal.message, seconds: nil)))
                }
            } catch {
                if run.status == .running { run.status = .failed }
                run.message = run.message ?? "\(error)"
                _ = try await finish(run, session)
                throw error
            }
        }
        guard run.status == .succeeded else {
            run.status = .failed
            run.message =
                "steps failed: " + run.steps.filter { $0.status == .failed }.map(\.step).joined(separator: ", ")
            run = try await finish(run, session)
            log.error("run failed", metadata: Self.failure(run.message ?? "", type: "RunFailed"))
            throw RunFailed(run: run)
        }
        run = try await finish(run, session)
        log.info(
            "run succeeded",
            metadata: [
                "event.action": "run-finished", "event.outcome": "success", "commit": "\(run.commit?.hex ?? "")",
            ])
        return run
    }

    /// Runs `body` while the run beats (so that a killed process is recognised as abandoned) and while its
    /// record is saved as steps start and end, at most every 200 ms: a pipeline of a thousand small steps must
    /// not rewrite it a thousand times. A killed run loses at most that much progress, which --resume (or the
    /// cache) makes up.
    private func beating<T: Sendable>(
        _ session: RunSession, _ body: (LatestRecord) async throws -> T
    ) async throws -> T {
        let progress = LatestRecord(session.started)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                while true {
                    try await Task.sleep(for: .seconds(RunRecord.heartbeatInterval.seconds))
                    try await session.beat()
                }
            }
            group.addTask { [onChange] in
                while true {
                    try await Task.sleep(for: .milliseconds(200))
                    if let latest = progress.take() { onChange(try await session.save(latest)) }
                }
            }
            let result = try await body(progress)
            group.cancelAll()
            return result
        }
    }

    /// Starts steps as they become ready, until none is left (or the run is interrupted); returns the outputs.
    private func schedule(
        _ session: RunSession, _ run: inout RunRecord, directory: URL, log: Logger, progress: LatestRecord,
        interruption: RunInterruption
    ) async throws -> [DatasetName: ObjectID] {
        var schedule = StepSchedule(graph: session.graph, selected: session.selected)
        // The record is changed in `progress` as steps start and end, and read back once, however the loop ends.
        defer { run = progress.current }
        let steps = StepContext(
            session: session, executor: executor, sleep: sleep, random: random, logger: log, onEvent: onEvent,
            deferring: schedule.written)
        try await withThrowingTaskGroup(of: StepRun.self) { group in
            var running = 0
            func startReady() {
                while running < session.started.maxParallel, interruption.interruptedBecause == nil,
                    let step = schedule.next()
                {
                    let inputs = schedule.produced
                    progress.update(step.name) {
                        $0.status = .running
                        $0.startedAt = session.now()
                    }
                    running += 1
                    onEvent(StepEvent(step: step.name, kind: .started))
                    group.addTask { try await steps.perform(step, produced: inputs, directory: directory) }
                }
            }
            startReady()
            while let result = try await group.next() {
                running -= 1
                onEvent(
                    StepEvent(
                        step: result.step,
                        kind: .finished(result.status, message: result.message, seconds: result.seconds)))
                progress.update(result.step) { $0 = result }
                for skipped in schedule.finished(result) {
                    progress.update(skipped) {
                        $0.status = .skipped
                        $0.message = "not run: \(result.step) failed"
                    }
                }
                startReady()
            }
        }
        return schedule.produced
    }

    /// Ends a begun run that never got to execute (the service began draining meanwhile).
    public func abandon(_ session: RunSession, because error: any Error) async throws {
        var run = session.started
        run.status = .failed
        run.endedAt = session.now()
        run.message = "not started: \(error)"
        _ = try await finish(run, session)
    }

    /// Saves the run's end and seals it in the audit chain; returns the record as saved.
    private func finish(_ run: RunRecord, _ session: RunSession) async throws -> RunRecord {
        let ended = try await session.end(run)
        onChange(ended)
        return ended
    }

    private func runLogger(_ run: RunRecord) -> Logger {
        var log = logger
        log[metadataKey: "trace.id"] = "\(run.traceID)"
        log[metadataKey: "run.id"] = "\(run.id)"
        log[metadataKey: "pipeline"] = "\(run.pipeline)"
        log[metadataKey: "environment"] = "\(run.workEnvironment)"
        log[metadataKey: "event.dataset"] = "sluice.run"
        log[metadataKey: "user.name"] = "\(run.principal)"
        return log
    }

    static func failure(_ message: String, type: String) -> Logger.Metadata {
        [
            "event.action": "run-finished", "event.outcome": "failure", "error.message": "\(message)",
            "error.type": "\(type)",
        ]
    }

    /// Sortable by time and unique (`RunRecord.newID`).
    public static func newRunID(now: Timestamp) -> String { RunRecord.newID(now: now) }
}
