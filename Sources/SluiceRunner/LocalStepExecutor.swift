import Foundation
import SluiceCore
import Subprocess

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
#if canImport(System)
    import System
#else
    import SystemPackage
#endif

/// Runs steps on this machine: `command` steps as processes in their own process group, `sql` steps on
/// the embedded SQLite engine.
public struct LocalStepExecutor: StepExecutor {
    public init() {}

    public func execute(_ job: StepJob) async throws -> StepExecution {
        switch job.step.kind {
        case .command(let arguments): return try await runCommand(arguments, job)
        case .sql(let file): return try SQLStep(job: job, file: job.projectRoot.appendingPathComponent(file)).run()
        }
    }

    /// The process runs in the job's directory with a small, explicit environment (no store paths, no
    /// tokens), in a process group of its own so that a timeout kills everything it started.
    private func runCommand(_ arguments: [String], _ job: StepJob) async throws -> StepExecution {
        let program = resolve(arguments[0], root: job.projectRoot)
        // Arguments that name files of the project are passed as absolute paths: the step runs elsewhere.
        let rest = arguments.dropFirst().map { resolveFile($0, root: job.projectRoot) }
        var variables: [Environment.Key: String] = [:]
        let inherited = ProcessInfo.processInfo.environment
        for key in ["PATH", "HOME", "LANG", "LC_ALL", "TZ"] {
            if let value = inherited[key] { variables[Environment.Key(stringLiteral: key)] = value }
        }
        variables["TMPDIR"] = job.directory.appendingPathComponent("tmp").path
        for (key, value) in job.variables { variables[Environment.Key(stringLiteral: key)] = value }
        var platform = PlatformOptions()
        platform.processGroupID = 0
        let options = platform
        let environment = Environment.custom(variables)
        let directory = FilePath(job.directory.path)
        let stdout = try FileDescriptor.open(
            FilePath(job.stdout.path), .writeOnly, options: [.create, .truncate], permissions: [.ownerReadWrite])
        let stderr = try FileDescriptor.open(
            FilePath(job.stderr.path), .writeOnly, options: [.create, .truncate], permissions: [.ownerReadWrite])
        let group = ProcessGroup()
        let status: TerminationStatus
        do {
            status = try await withThrowingTaskGroup(of: TerminationStatus?.self) { tasks in
                tasks.addTask {
                    let result = try await Subprocess.run(
                        program, arguments: Arguments(rest), environment: environment,
                        workingDirectory: directory, platformOptions: options, input: .none,
                        output: .fileDescriptor(stdout, closeAfterSpawningProcess: true),
                        error: .fileDescriptor(stderr, closeAfterSpawningProcess: true)
                    ) { execution in
                        group.started(execution.processIdentifier.value)
                    }
                    return result.terminationStatus
                }
                if let timeout = job.timeout {
                    tasks.addTask {
                        // Cancelled when the process ends first.
                        guard (try? await Task.sleep(for: timeout)) != nil else { return nil }
                        group.terminate(timedOut: true)
                        return nil
                    }
                }
                var status: TerminationStatus?
                while let next = try await tasks.next() {
                    if let next {
                        status = next
                        tasks.cancelAll()
                    }
                }
                return status!
            }
        } catch let error as SubprocessError {
            return StepExecution(exitCode: nil, failure: "could not start \(arguments[0]): \(error)")
        }
        // Whatever the step left running in its group goes with it.
        group.terminate(timedOut: false)
        if group.timedOut, let timeout = job.timeout {
            return StepExecution(
                exitCode: nil, timedOut: true,
                failure: "timed out after \(timeout.formatted()); its process group was killed")
        }
        switch status {
        case .exited(0): return StepExecution(exitCode: 0, failure: nil)
        case .exited(let code): return StepExecution(exitCode: code, failure: "exited with status \(code)")
        case .signaled(let signal): return StepExecution(exitCode: nil, failure: "killed by signal \(signal)")
        }
    }

    private func resolve(_ program: String, root: URL) -> Executable {
        guard program.contains("/") else { return .name(program) }
        return .path(FilePath(program.hasPrefix("/") ? program : root.appendingPathComponent(program).path))
    }

    private func resolveFile(_ argument: String, root: URL) -> String {
        guard !argument.hasPrefix("/"), !argument.hasPrefix("-"), argument.contains("/") || argument.contains(".")
        else { return argument }
        let candidate = root.appendingPathComponent(argument).standardizedFileURL
        guard candidate.path.hasPrefix(root.standardizedFileURL.path + "/"),
            FileManager.default.fileExists(atPath: candidate.path)
        else { return argument }
        return candidate.path
    }
}

/// The process group of one attempt: killed on timeout, and swept when the attempt ends.
final class ProcessGroup: @unchecked Sendable {
    private let lock = NSLock()
    private var leader: pid_t?
    private var killedForTimeout = false

    func started(_ pid: pid_t) {
        lock.lock()
        leader = pid
        lock.unlock()
    }

    var timedOut: Bool {
        lock.lock()
        defer { lock.unlock() }
        return killedForTimeout
    }

    func terminate(timedOut: Bool) {
        lock.lock()
        defer { lock.unlock() }
        guard let leader else { return }
        if timedOut { killedForTimeout = true }
        _ = kill(-leader, SIGKILL)
    }
}

extension Duration {
    func formatted() -> String {
        let seconds = Double(components.seconds) + Double(components.attoseconds) / 1e18
        return seconds < 10 ? String(format: "%.1fs", seconds) : TimeSpan(seconds: Int64(seconds)).description
    }
}
