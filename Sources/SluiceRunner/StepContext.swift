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
        runner: PipelineRunner, logger: Logger, runID: String, pipeline: Pipeline, environment: String
    ) async throws -> StepContext {
        let session = try await RunService(context: runner.workspace.context).detachedSession(
            runID: runID, pipeline: pipeline, environment: environment)
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
        func finish(_ status: StepStatus, _ message: String?) -> StepRun {
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
        for input in step.inputs {
            guard let version = produced[input] ?? head?.version(of: input) else {
                return finish(
                    .failed,
                    "input \(input) has no version in the environment; ingest it or run the step that makes it first")
            }
            result.inputs[input.description] = version
        }
        let inputVersions = CacheKey.datasetInputs(result.inputs)
        let key: String
        do {
            key = try CacheKey.compute(
                step: step, root: project.codeRoot, inputs: inputVersions, files: session.files)
        } catch {
            return finish(.failed, "cannot read the files the step names: \(error.localizedDescription)")
        }
        result.cacheKey = key
        if let reused = Self.reusable(step.name, key: key, in: session.previous.map { [$0] } ?? []) {
            result.outputs = reused.outputs
            result.reusedFrom = reused.run
            return finish(.resumed, "finished in run \(reused.run)")
        }
        if let reused = Self.reusable(step.name, key: key, in: session.earlier) {
            result.outputs = reused.outputs
            result.reusedFrom = reused.run
            return finish(.cached, "same inputs, code and engine as run \(reused.run)")
        }
        log.info("step started", metadata: ["event.action": "step-started", "attempts": "\(step.retries.attempts)"])
        // Flat names under the run's directory, and only the folders a step needs: creating directories
        // is a large part of what a small step costs.
        let inputsDirectory = directory.appendingPathComponent("\(step.name).inputs")
        var inputFiles: [DatasetName: URL] = [:]
        do {
            if !inputVersions.isEmpty {
                try FileManager.default.createDirectory(at: inputsDirectory, withIntermediateDirectories: false)
            }
            for (dataset, version) in inputVersions {
                let url = inputsDirectory.appendingPathComponent("\(dataset).csv")
                _ = try await session.materialize(version, to: url)
                try FileManager.default.setAttributes([.posixPermissions: 0o444], ofItemAtPath: url.path)
                inputFiles[dataset] = url
            }
            if !inputVersions.isEmpty {
                try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: inputsDirectory.path)
            }
        } catch let error as SluiceError {
            return finish(.failed, "could not prepare its inputs: \(error)")
        }
        defer {
            if !inputVersions.isEmpty {
                try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: inputsDirectory.path)
            }
        }
        let fingerprints = inputFiles.mapValues(Self.fingerprint)
        var contracts: [DatasetName: Dataset] = [:]
        for name in step.inputs + step.outputs { contracts[name] = project.datasets[name] }
        let attempts = max(1, step.retries.attempts)
        for number in 1...attempts {
            var attempt = StepAttempt(number: number, startedAt: session.now())
            let attemptName = "\(step.name).\(number)"
            let work = directory.appendingPathComponent(attemptName)
            let outputsDirectory = directory.appendingPathComponent("\(attemptName).outputs")
            try Self.makeDirectory(work)
            if !step.outputs.isEmpty { try Self.makeDirectory(outputsDirectory) }
            let outputFiles = Dictionary(
                uniqueKeysWithValues: step.outputs.map { ($0, outputsDirectory.appendingPathComponent("\($0).csv")) })
            var variables = [
                "SLUICE_RUN_ID": runID, "SLUICE_STEP": step.name, "SLUICE_ATTEMPT": "\(number)",
            ]
            if !inputFiles.isEmpty { variables["SLUICE_INPUTS"] = inputsDirectory.path }
            if !outputFiles.isEmpty { variables["SLUICE_OUTPUTS"] = outputsDirectory.path }
            for (dataset, url) in inputFiles { variables["SLUICE_INPUT_\(Self.variableName(dataset))"] = url.path }
            for (dataset, url) in outputFiles { variables["SLUICE_OUTPUT_\(Self.variableName(dataset))"] = url.path }
            let job = StepJob(
                step: step, projectRoot: project.codeRoot, workTree: project.root, runID: runID,
                runDirectory: directory,
                directory: work, inputs: inputFiles,
                outputs: outputFiles, contracts: contracts, timeout: step.timeout.map { .seconds($0.seconds) },
                variables: variables,
                liveOutput: session.liveLogFolder?.appendingPathComponent(attemptName),
                files: session.files)
            let execution = try await executor.execute(job)
            // The working directory goes as soon as the attempt is over (one rmdir when it is empty).
            if rmdir(work.path) != 0 { try? FileManager.default.removeItem(at: work) }
            attempt.exitCode = execution.exitCode
            attempt.stdout = try await session.keep(output: execution.stdout)
            attempt.stderr = try await session.keep(output: execution.stderr)
            attempt.endedAt = session.now()
            var failure = execution.failure
            if failure == nil,
                let changed = inputFiles.first(where: { Self.fingerprint($0.value) != fingerprints[$0.key] })
            {
                failure = "it changed its input \(changed.key); inputs are read-only"
            }
            if failure == nil,
                let missing = outputFiles.first(where: { !FileManager.default.fileExists(atPath: $0.value.path) })
            {
                failure =
                    "it did not write its output \(missing.key) (expected at $SLUICE_OUTPUT_\(Self.variableName(missing.key)))"
            }
            attempt.succeeded = failure == nil
            attempt.message = failure
            result.attempts.append(attempt)
            if let failure {
                log.warning(
                    "attempt \(number) of \(attempts) failed",
                    metadata: [
                        "event.action": "attempt-finished", "event.outcome": "failure", "error.message": "\(failure)",
                        "error.type": "AttemptFailed",
                    ])
                if number < attempts {
                    onEvent(
                        StepEvent(
                            step: step.name, kind: .retrying(failedAttempt: number, of: attempts, reason: failure)))
                    try await sleep(Backoff(policy: step.retries).delay(afterFailedAttempt: number, random: random()))
                    continue
                }
                return finish(.failed, attempts > 1 ? "\(failure) (after \(attempts) attempts)" : failure)
            }
            // A contract failure is not retried: the same inputs and code would make the same rows.
            do {
                for (dataset, url) in outputFiles.sorted(by: { $0.key.description < $1.key.description }) {
                    let staged = try await session.stage(dataset, file: url, step: step.name, deferring: deferring)
                    result.outputs[dataset.description] = staged.version.id
                }
            } catch let error as GateFailed {
                return finish(.failed, "its output failed the quality gate: \(error.reason)\n\(error.report.summary)")
            }
            let ended = session.now()
            for (dataset, version) in result.outputs {
                guard let name = DatasetName(dataset) else { continue }
                try await session.saveLineage(
                    LineageRecord(
                        version: version, dataset: name, pipeline: session.pipeline.name, runID: runID, step: step.name,
                        environment: session.started.workEnvironment, inputs: result.inputs, cacheKey: key,
                        gitCommit: session.started.gitCommit,
                        startedAt: result.startedAt ?? ended, endedAt: ended))
            }
            return finish(.succeeded, nil)
        }
        return finish(.failed, "no attempt was made")
    }

    /// Outputs of a step run with this key that ended well, newest first.
    static func reusable(
        _ step: String, key: String, in runs: [RunRecord]
    ) -> (run: String, outputs: [String: ObjectID])? {
        for run in runs {
            guard let found = run.step(step), found.cacheKey == key, !found.outputs.isEmpty,
                [.succeeded, .cached, .resumed].contains(found.status)
            else { continue }
            return (found.reusedFrom ?? run.id, found.outputs)
        }
        return nil
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

    static func fingerprint(_ url: URL) -> String {
        let attributes = try? FileManager.default.attributesOfItem(atPath: url.path)
        let size = attributes?[.size] as? Int64 ?? -1
        let modified = (attributes?[.modificationDate] as? Date)?.timeIntervalSince1970 ?? -1
        return "\(size)@\(modified)"
    }
}
