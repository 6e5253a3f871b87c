import Foundation
import Logging
import SluiceCore

/// Everything a step of one run needs, shared by the run's concurrent steps: the run's session (all it does
/// to the store goes through it) and how attempts are made.
struct StepContext: Sendable {
    let session: RunSession
    let executor: any StepExecutor
    let sleep: @Sendable (Duration) async throws -> Void
    let random: @Sendable () -> Double
    let logger: Logger
    let onEvent: @Sendable (StepEvent) -> Void
    /// What the run's steps write: `references` to these are judged when the run lands, not by each step.
    let deferring: Set<DatasetName>

    var head: Commit? { session.head }
    var runID: String { session.runID }
    var project: Project { session.project }

    /// A step run outside any environment (a step test, a reproduction): its inputs are given, nothing is
    /// reused, and `references` are not judged (they are judged when a run lands).
    static func detached(
        runner: PipelineRunner, logger: Logger, runID: String, pipeline: Pipeline, environment: String,
        readsFrom: String? = nil
    ) async throws -> StepContext {
        let session = try await RunService(context: runner.workspace.context).detachedSession(
            runID: runID, pipeline: pipeline, environment: environment, readsFrom: readsFrom)
        return StepContext(
            session: session, executor: runner.executor, sleep: runner.sleep, random: runner.random, logger: logger,
            onEvent: runner.onEvent, deferring: Set(runner.workspace.project.datasets.keys))
    }

    /// Runs one step to the end: reuses earlier outputs when the cache key matches, else makes attempts
    /// until one succeeds or the retries run out, then checks and stores the outputs. Never throws for a
    /// failure of the step itself; that is the returned record's status.
    func perform(_ step: Step, produced: [DatasetName: ObjectID], directory: URL) async throws -> StepRun {
        var result = StepRun(step: step.name, status: .running)
        result.startedAt = session.now()
        var log = logger
        log[metadataKey: "step"] = "\(step.name)"
        let (status, message) = try await outcome(
            of: step, produced: produced, directory: directory, result: &result, log: log)
        result.status = status
        result.message = message
        result.endedAt = session.now()
        if status == .failed {
            log.error(
                "step failed",
                metadata: [
                    "event.action": "step-finished", "event.outcome": "failure",
                    "error.message": "\(message ?? "")", "error.type": "StepFailed",
                ])
        } else {
            log.info(
                "step \(status.rawValue)",
                metadata: [
                    "event.action": "step-finished", "event.outcome": "success", "status": "\(status.rawValue)",
                    "outputs": "\(result.outputs.count)",
                ])
        }
        return result
    }

    /// How the step ends: its inputs resolved, its outputs reused, or its attempts made.
    private func outcome(
        of step: Step, produced: [DatasetName: ObjectID], directory: URL, result: inout StepRun, log: Logger
    ) async throws -> (StepStatus, String?) {
        for input in step.inputs {
            guard let version = produced[input] ?? head?.version(of: input) else {
                return (
                    .failed,
                    "input \(input) has no version in the environment; ingest it or run the step that makes it first"
                )
            }
            result.inputs[input.description] = version
        }
        let inputVersions = CacheKey.datasetInputs(result.inputs)
        let key: String
        do {
            key = try CacheKey.compute(step: step, root: project.codeRoot, inputs: inputVersions, files: session.files)
        } catch {
            return (.failed, "cannot read the files the step names: \(error.localizedDescription)")
        }
        result.cacheKey = key
        if let reused = CachedStep.newest(step.name, key: key, in: session.previous.map { [$0] } ?? []) {
            result.outputs = reused.outputs
            result.reusedFrom = reused.run
            return (.resumed, "finished in run \(reused.run)")
        }
        if let reused = try await session.cached(step.name, key: key) {
            result.outputs = reused.outputs
            result.reusedFrom = reused.run
            return (.cached, "same inputs, code and engine as run \(reused.run)")
        }
        log.info("step started", metadata: ["event.action": "step-started", "attempts": "\(step.retries.attempts)"])
        // Flat names under the run's directory, and only the folders a step needs: creating directories
        // is a large part of what a small step costs.
        let inputs = StepInputs(directory: directory.appendingPathComponent("\(step.name).inputs"))
        do {
            try await inputs.prepare(inputVersions, from: session)
        } catch let error as SluiceError {
            return (.failed, "could not prepare its inputs: \(error)")
        }
        defer { inputs.release() }
        return try await attempts(of: step, inputs: inputs, directory: directory, result: &result, log: log)
    }

    /// Makes attempts until one succeeds (its outputs then checked and kept) or the retries run out.
    private func attempts(
        of step: Step, inputs: StepInputs, directory: URL, result: inout StepRun, log: Logger
    ) async throws -> (StepStatus, String?) {
        let attempts = max(1, step.retries.attempts)
        for number in 1...attempts {
            let (attempt, outputFiles) = try await attempt(number, of: step, inputs: inputs, directory: directory)
            result.attempts.append(attempt)
            guard let failure = attempt.message else {
                // A contract failure is not retried: the same inputs and code would make the same rows.
                return try await keep(outputFiles, of: step, result: &result)
            }
            log.warning(
                "attempt \(number) of \(attempts) failed",
                metadata: [
                    "event.action": "attempt-finished", "event.outcome": "failure", "error.message": "\(failure)",
                    "error.type": "AttemptFailed",
                ])
            guard number < attempts else {
                return (.failed, attempts > 1 ? "\(failure) (after \(attempts) attempts)" : failure)
            }
            onEvent(StepEvent(step: step.name, kind: .retrying(failedAttempt: number, of: attempts, reason: failure)))
            try await sleep(Backoff(policy: step.retries).delay(afterFailedAttempt: number, random: random()))
        }
        return (.failed, "no attempt was made")
    }

    /// One attempt: the step executed in a fresh working folder; its output kept; judged by its exit, its
    /// inputs left unchanged and its outputs written.
    private func attempt(
        _ number: Int, of step: Step, inputs: StepInputs, directory: URL
    ) async throws -> (StepAttempt, [DatasetName: URL]) {
        var attempt = StepAttempt(number: number, startedAt: session.now())
        let attemptName = "\(step.name).\(number)"
        let work = directory.appendingPathComponent(attemptName)
        let outputsDirectory = directory.appendingPathComponent("\(attemptName).outputs")
        try Self.makeDirectory(work)
        if !step.outputs.isEmpty { try Self.makeDirectory(outputsDirectory) }
        let outputFiles = Dictionary(
            uniqueKeysWithValues: step.outputs.map { ($0, outputsDirectory.appendingPathComponent("\($0).csv")) })
        let job = self.job(
            step, attempt: number, work: work, directory: directory, inputs: inputs, outputs: outputFiles,
            outputsDirectory: outputsDirectory)
        let execution = try await executor.execute(job)
        // The working directory goes as soon as the attempt is over (one rmdir when it is empty).
        if rmdir(work.path) != 0 { try? FileManager.default.removeItem(at: work) }
        attempt.exitCode = execution.exitCode
        attempt.engine = execution.engine
        attempt.stdout = try await session.keep(output: execution.stdout)
        attempt.stderr = try await session.keep(output: execution.stderr)
        attempt.endedAt = session.now()
        var failure = execution.failure
        if failure == nil, let changed = inputs.changed() {
            failure = "it changed its input \(changed); inputs are read-only"
        }
        if failure == nil,
            let missing = outputFiles.first(where: { !FileManager.default.fileExists(atPath: $0.value.path) })
        {
            failure =
                "it did not write its output \(missing.key) (expected at $SLUICE_OUTPUT_\(Self.variableName(missing.key)))"
        }
        attempt.succeeded = failure == nil
        attempt.message = failure
        return (attempt, outputFiles)
    }

    /// What the executor runs for one attempt: where everything is, and the variables that say so.
    private func job(
        _ step: Step, attempt number: Int, work: URL, directory: URL, inputs: StepInputs, outputs: [DatasetName: URL],
        outputsDirectory: URL
    ) -> StepJob {
        var variables = ["SLUICE_RUN_ID": runID, "SLUICE_STEP": step.name, "SLUICE_ATTEMPT": "\(number)"]
        if !inputs.files.isEmpty { variables["SLUICE_INPUTS"] = inputs.directory.path }
        if !outputs.isEmpty { variables["SLUICE_OUTPUTS"] = outputsDirectory.path }
        for (dataset, url) in inputs.files { variables["SLUICE_INPUT_\(Self.variableName(dataset))"] = url.path }
        for (dataset, url) in outputs { variables["SLUICE_OUTPUT_\(Self.variableName(dataset))"] = url.path }
        var contracts: [DatasetName: Dataset] = [:]
        for name in step.inputs + step.outputs { contracts[name] = project.datasets[name] }
        return StepJob(
            step: step, projectRoot: project.codeRoot, workTree: project.root, runID: runID, runDirectory: directory,
            directory: work, inputs: inputs.files, outputs: outputs, contracts: contracts, sql: project.sql,
            timeout: step.timeout.map { .seconds($0.seconds) }, variables: variables,
            liveOutput: session.liveLogFolder?.appendingPathComponent("\(step.name).\(number)"),
            files: session.files)
    }

    /// Checks and stores the outputs of the attempt that succeeded, with the lineage of each.
    private func keep(
        _ outputFiles: [DatasetName: URL], of step: Step, result: inout StepRun
    ) async throws -> (StepStatus, String?) {
        do {
            for (dataset, url) in outputFiles.sorted(by: { $0.key.description < $1.key.description }) {
                let staged = try await session.stage(dataset, file: url, step: step.name, deferring: deferring)
                result.outputs[dataset.description] = staged.version.id
            }
        } catch let error as GateFailed {
            return (.failed, "its output failed the quality gate: \(error.reason)\n\(error.report.summary)")
        }
        let ended = session.now()
        for (dataset, version) in result.outputs {
            guard let name = DatasetName(dataset) else { continue }
            try await session.saveLineage(
                LineageRecord(
                    version: version, dataset: name, pipeline: session.pipeline.name, runID: runID, step: step.name,
                    environment: session.started.workEnvironment, inputs: result.inputs,
                    cacheKey: result.cacheKey ?? "", gitCommit: session.started.gitCommit,
                    sqlEngine: result.attempts.last?.engine, startedAt: result.startedAt ?? ended, endedAt: ended))
        }
        return (.succeeded, nil)
    }

    /// One mkdir call (FileManager checks and stats around it).
    static func makeDirectory(_ url: URL) throws {
        guard mkdir(url.path, 0o755) == 0 else {
            throw InternalError("cannot create \(url.path): \(String(cString: strerror(errno)))")
        }
    }

    /// `raw.orders` → `RAW_ORDERS`.
    static func variableName(_ dataset: DatasetName) -> String {
        dataset.description.uppercased().map { $0.isLetter || $0.isNumber ? String($0) : "_" }.joined()
    }
}
