import CSluiceSystem
import Foundation
import SluiceCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Runs steps on this machine: `command` steps as processes in their own process group, `sql` steps on
/// the embedded SQLite engine or as the `duckdb` program.
public struct LocalStepExecutor: StepExecutor {
    /// Who command steps run as: `nil` for this process's own user.
    public let stepUser: StepUser?
    /// The process groups of attempts running now, for `stopAll`.
    private let live = LiveGroups()
    /// Where the `duckdb` program is looked for: `SLUICE_DUCKDB`, else `PATH`.
    private let environment: [String: String]

    public init(
        stepUser: StepUser? = StepUser.forThisProcess(),
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        self.stepUser = stepUser
        self.environment = environment
    }

    /// Bytes of each stream kept per attempt; the rest is counted and dropped.
    static let logLimit = 16 << 20

    /// The variables a step inherits from this process, read once.
    private static let basics: [String: String] = {
        let inherited = ProcessInfo.processInfo.environment
        var basics: [String: String] = [:]
        for key in ["PATH", "HOME", "LANG", "LC_ALL", "TZ"] { basics[key] = inherited[key] }
        return basics
    }()

    public func stopAll() { live.killAll() }

    public func execute(_ job: StepJob) async throws -> StepExecution {
        switch job.step.kind {
        case .command(let arguments): return try await runCommand(arguments, job)
        case .sql(let file) where job.step.sqlEngine == .duckdb: return try await runDuckDB(file, job)
        case .sql(let file): return try await runSQL(file, job)
        }
    }

    /// A sql step runs on a thread of its own (never on the cooperative pool), under its timeout, and stops when
    /// its run is cancelled, as a command step does.
    private func runSQL(_ file: String, _ job: StepJob) async throws -> StepExecution {
        let step = SQLStep(job: job, file: job.projectRoot.appendingPathComponent(file))
        let control = SQLStepControl()
        live.insert(control)
        defer { live.remove(control) }
        // The timer is Dispatch's, not a task: a busy cooperative pool must not make a timeout late.
        let timer = job.timeout.map { limit in
            let item = DispatchWorkItem { control.stop(.timedOut(limit)) }
            let seconds = Double(limit.components.seconds) + Double(limit.components.attoseconds) / 1e18
            DispatchQueue.global().asyncAfter(deadline: .now() + seconds, execute: item)
            return item
        }
        defer { timer?.cancel() }
        return try await Blocking.run { try step.run(control: control) }
    }

    /// The process runs in the job's directory with a small, explicit environment (no store paths, no
    /// tokens), in a process group of its own so that a timeout kills everything it started. It is
    /// started with posix_spawn (no copy of this process) and waited for on a thread of its own: a
    /// thousand small steps must cost little more than the thousand processes themselves.
    private func runCommand(_ arguments: [String], _ job: StepJob) async throws -> StepExecution {
        let user = stepUser?.forRun(job.runID)
        let variables = Self.variables(for: job)
        do {
            try Self.own(job, by: user)
            // Arguments that name files of the project are passed as paths the step can read: the step runs
            // elsewhere, maybe as another user.
            let (program, passed) = try StepProgram(job: job, user: user, path: variables["PATH"] ?? "/usr/bin:/bin")
                .resolve(arguments)
            return try await spawn(program, passed, environment: variables, job: job, user: user)
        } catch let error as SpawnError {
            return StepExecution(exitCode: nil, failure: "could not start \(arguments[0]): \(error.message)")
        }
    }

    /// A sql step on DuckDB: the `duckdb` program as the step's process, as the step user, under its timeout.
    private func runDuckDB(_ file: String, _ job: StepJob) async throws -> StepExecution {
        let variables = Self.variables(for: job)
        let user = stepUser?.forRun(job.runID)
        let step = DuckDBStep(job: job, file: job.projectRoot.appendingPathComponent(file))
        do {
            try Self.own(job, by: user)
            return try await step.run(locating: environment) { program, arguments, extra in
                try await spawn(program, arguments, environment: variables.merging(extra) { $1 }, job: job, user: user)
            }
        } catch let error as SpawnError {
            return StepExecution(exitCode: nil, failure: "could not start duckdb: \(error.message)")
        }
    }

    /// The run's folder (mode 0700) goes to the run's own user: no other run's step can enter it.
    private static func own(_ job: StepJob, by user: StepUser?) throws {
        guard let user else { return }
        try user.own(
            [job.runDirectory, job.directory] + Set(job.outputs.values.map { $0.deletingLastPathComponent() }))
    }

    /// The basic variables, the job's own and `TMPDIR` (the attempt's folder).
    private static func variables(for job: StepJob) -> [String: String] {
        var variables = basics
        variables["TMPDIR"] = job.directory.path
        for (key, value) in job.variables { variables[key] = value }
        return variables
    }

    /// Starts `program` in the job's folder as `user` and waits for it under the job's timeout.
    private func spawn(
        _ program: String, _ arguments: [String], environment: [String: String], job: StepJob, user: StepUser?
    ) async throws -> StepExecution {
        let started = try Spawn.start(
            program, arguments: arguments, environment: environment, directory: job.directory.path, user: user)
        let group = ProcessGroup(started.pid)
        live.insert(group)
        defer { live.remove(group) }
        guard let timeout = job.timeout else {
            return Self.execution(
                await Spawn.finish(started, limit: Self.logLimit, live: job.liveOutput), group: group, timeout: nil)
        }
        let finished = await withTaskGroup(of: Spawn.Finished?.self) { tasks in
            tasks.addTask { await Spawn.finish(started, limit: Self.logLimit, live: job.liveOutput) }
            tasks.addTask {
                // Cancelled when the process ends first.
                guard (try? await Task.sleep(for: timeout)) != nil else { return nil }
                group.killForTimeout()
                return nil
            }
            var finished = Spawn.Finished(status: 0, stdout: Data(), stderr: Data())
            while let next = await tasks.next() {
                if let next {
                    finished = next
                    tasks.cancelAll()
                }
            }
            return finished
        }
        return Self.execution(finished, group: group, timeout: timeout)
    }

    /// How an attempt ended, from its wait status. (Whatever it left running in its group was killed when
    /// it was reaped.)
    private static func execution(_ finished: Spawn.Finished, group: ProcessGroup, timeout: Duration?) -> StepExecution
    {
        let status = finished.status
        var execution: StepExecution
        if group.timedOut, let timeout {
            execution = StepExecution(
                exitCode: nil, timedOut: true,
                failure: "timed out after \(timeout.formatted()); its process group was killed")
        } else if Spawn.exited(status) {
            let code = Spawn.exitCode(status)
            execution =
                code == 0
                ? StepExecution(exitCode: 0, failure: nil)
                : StepExecution(exitCode: code, failure: "exited with status \(code)")
        } else {
            execution = StepExecution(exitCode: nil, failure: "killed by signal \(Spawn.signal(status))")
        }
        execution.stdout = finished.stdout
        execution.stderr = finished.stderr
        return execution
    }
}

/// An attempt running now that can be stopped from outside: a command step's process group, a sql step.
protocol LiveAttempt: AnyObject, Sendable {
    func stop()
}

/// The attempts running now; stopping stops each, and any attempt started after it.
final class LiveGroups: @unchecked Sendable {
    private let lock = NSLock()
    private var attempts: [ObjectIdentifier: any LiveAttempt] = [:]
    private var stopped = false

    func insert(_ attempt: any LiveAttempt) {
        let stop = lock.withLock {
            attempts[ObjectIdentifier(attempt)] = attempt
            return stopped
        }
        if stop { attempt.stop() }
    }

    func remove(_ attempt: any LiveAttempt) {
        _ = lock.withLock { attempts.removeValue(forKey: ObjectIdentifier(attempt)) }
    }

    func killAll() {
        let all = lock.withLock {
            stopped = true
            return Array(attempts.values)
        }
        for attempt in all { attempt.stop() }
    }
}

/// The process group of one attempt, for its timeout. (Its leftovers are killed when it is reaped.)
final class ProcessGroup: LiveAttempt, @unchecked Sendable {
    private let lock = NSLock()
    private let leader: pid_t
    private var killedForTimeout = false

    init(_ leader: pid_t) {
        self.leader = leader
    }

    var timedOut: Bool { lock.withLock { killedForTimeout } }

    func killForTimeout() {
        lock.withLock {
            killedForTimeout = true
            _ = kill(-leader, SIGKILL)
        }
    }

    /// Kills the whole group (the run was interrupted).
    func killGroup() { _ = kill(-leader, SIGKILL) }

    func stop() { killGroup() }
}

extension Duration {
    func formatted() -> String {
        let seconds = Double(components.seconds) + Double(components.attoseconds) / 1e18
        return seconds < 10 ? String(format: "%.1fs", seconds) : TimeSpan(seconds: Int64(seconds)).description
    }
}
