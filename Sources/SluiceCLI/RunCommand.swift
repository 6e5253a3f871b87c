import ArgumentParser
import Foundation
import SluiceClient
import SluiceCore
import SluiceRunner

struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a pipeline's steps as a DAG; all outputs land in the environment in one commit, or none do.")

    @Argument(help: "The pipeline, as declared under pipelines: in sluice.yaml.")
    var pipeline: String

    @Option(help: "The environment to read inputs from and land outputs in (default: the project's default).")
    var env: String?

    @Option(
        name: .long, parsing: .upToNextOption,
        help: "Run only these steps (--select a b); their other inputs come from the environment.")
    var select: [String] = []

    @Option(
        name: .long, help: "Finish a failed run: steps it finished with the same inputs and code are not run again.")
    var resume: String?

    @Option(name: .long, help: "Steps running at once (default: the number of cores where the run goes on).")
    var maxParallel: Int?

    @Flag(name: .long, help: "Run every step even when an earlier run already made its outputs from the same inputs.")
    var noCache = false

    @OptionGroup var projectOptions: ProjectOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        if let maxParallel, maxParallel < 1 { throw ValidationError("--max-parallel must be at least 1") }
    }

    func run() async throws {
        // On a terminal, a live block of the running steps and a progress bar; piped, one line per step event
        // as it happens (dbt-style). The summary table follows either way; nothing but the final JSON with --json.
        var live: LiveRunView?
        // Whatever ends the command, the live block goes first (finishing twice draws nothing).
        defer { live?.finish() }
        let record: RunRecord
        do {
            if let server = try projectOptions.serverURL() {
                let engine = RemoteEngine(server: server, token: CallerSecrets.token)
                let steps = try await stepCount(engine.project().pipelines[pipeline]?.count)
                live = output.json ? nil : LiveRunView.forTerminal(total: steps)
                record = try await RemoteRun(engine: engine, onEvent: eventSink(live)).run(
                    pipeline, environment: env, select: select, resume: resume, maxParallel: maxParallel,
                    useCache: !noCache)
            } else {
                let workspace = try await projectOptions.workspace()
                live =
                    output.json
                    ? nil
                    : LiveRunView.forTerminal(total: stepCount(workspace.project.pipelines[pipeline]?.steps.count))
                record = try await runHere(workspace, onEvent: eventSink(live))
            }
            live?.finish()
        } catch let ended as any RunEndedBadly {
            live?.finish()
            if output.json {
                try Terminal.json(ended.run)
                throw ExitCode(ExitStatus.failed.rawValue)
            }
            RunsCommand.printSteps(ended.run)
            throw ended
        }
        if output.json { return try Terminal.json(record) }
        RunsCommand.printSteps(record)
        print(
            "run \(record.id) succeeded: commit \(record.commit?.short ?? "-") in \(record.environment)"
                + (record.message.map { " (\($0))" } ?? ""))
    }

    private func stepCount(_ declared: Int?) -> Int { select.isEmpty ? declared ?? 0 : select.count }

    private func eventSink(_ live: LiveRunView?) -> @Sendable (StepEvent) -> Void {
        let json = output.json
        return { event in
            guard !json else { return }
            if let live { return live.handle(event) }
            Terminal.line("\(Terminal.clock()) \(event.line)")
        }
    }

    /// Runs the pipeline in this process; a signal stops it: its steps' process groups are killed and it ends
    /// cancelled, audited.
    private func runHere(
        _ workspace: Workspace, onEvent: @escaping @Sendable (StepEvent) -> Void
    ) async throws
        -> RunRecord
    {
        let options = RunOptions(
            environment: env ?? workspace.project.defaultEnvironment, select: select, resume: resume,
            maxParallel: maxParallel ?? ProcessInfo.processInfo.activeProcessorCount, useCache: !noCache)
        let interruption = RunInterruption()
        let traps = SignalTrap.install { name in interruption.interrupt(because: "received \(name)") }
        defer { traps.forEach { $0.cancel() } }
        do {
            let record = try await PipelineRunner(
                workspace: workspace, interruption: interruption, onEvent: onEvent
            ).run(pipeline, options: options)
            await deliverLineage(workspace)
            return record
        } catch {
            await deliverLineage(workspace)
            throw error
        }
    }

    /// Sends the run's OpenLineage events (queued in the store as they happened) for a few seconds at most;
    /// what the endpoint does not take by then stays queued for the next run or `sluice serve`.
    private func deliverLineage(_ workspace: Workspace) async {
        guard workspace.project.openLineage != nil else { return }
        var dispatcher = workspace.deliveries(over: HTTPPoster())
        dispatcher.timeout = .seconds(3)
        let deadline = ContinuousClock.now + .seconds(5)
        while ContinuousClock.now < deadline, (try? await dispatcher.deliverDue()) ?? 0 > 0 {}
    }
}

struct RunsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs", abstract: "Pipeline runs, newest first, and their steps.",
        subcommands: [List.self, Show.self, Cancel.self], defaultSubcommand: List.self)

    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Cancel a running run: its process is asked to stop, or an abandoned run is ended cancelled.")

        @Argument(help: "The run id from `sluice runs`.")
        var id: String

        @OptionGroup var projectOptions: ProjectOptions

        func run() async throws {
            switch try await projectOptions.engine().cancelRun(id) {
            case .signalled: print("asked the process of run \(id) to stop; it records the cancellation itself")
            case .marked: print("run \(id) was abandoned (its process is gone); it is now recorded as cancelled")
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List runs, newest first.")

        @Option(help: "Only runs of this pipeline.")
        var pipeline: String?

        @Option(help: "Only runs with this status: running, succeeded, failed or cancelled.")
        var status: String?

        @Option(help: "Runs per page (1–1000).")
        var limit = 100

        @Option(help: "The page after this cursor (printed under a full page).")
        var after: String?

        @OptionGroup var projectOptions: ProjectOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            var filter = RunFilter(pipeline: pipeline)
            if let status {
                guard let parsed = RunStatus(rawValue: status) else {
                    throw UsageError(
                        "--status \(NameRules.quoted(status)) is not running, abandoned, succeeded, failed or cancelled"
                    )
                }
                filter.status = parsed
            }
            let page = try await projectOptions.engine().runPage(
                filter, page: PageRequest(limit: try Terminal.pageLimit(limit), after: after))
            let runs = page.items
            if let next = page.next, !output.json { Terminal.warn("older runs: sluice runs --after \(next)") }
            if output.json { return try Terminal.json(runs) }
            Terminal.table(
                ["RUN", "PIPELINE", "ENVIRONMENT", "STATUS", "STARTED", "STEPS", "BY"],
                runs.map { run in
                    let done = run.steps.filter { [.succeeded, .cached, .resumed].contains($0.status) }.count
                    return [
                        run.id, run.pipeline, run.environment,
                        run.status.rawValue, Terminal.time(run.startedAt),
                        "\(done)/\(run.steps.count)", run.principal,
                    ]
                })
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one run: its steps, attempts and outputs.")

        @Argument(help: "The run id from `sluice runs`.")
        var id: String

        @OptionGroup var projectOptions: ProjectOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let run = try await projectOptions.engine().runRecord(id)
            if output.json { return try Terminal.json(run) }
            let status =
                run.status == .abandoned
                ? "abandoned (running, but its process stopped beating)" : run.status.rawValue
            print("run \(run.id) of \(run.pipeline) in \(run.environment): \(status)")
            print("by \(run.principal), started \(Terminal.time(run.startedAt)), trace \(run.traceID)")
            if let git = run.gitCommit { print("git \(git), engine \(run.engineVersion)") }
            if let resumed = run.resumedFrom { print("resumes \(resumed)") }
            if let commit = run.commit { print("landed as commit \(commit.short)") }
            if let message = run.message { print(message) }
            RunsCommand.printSteps(run)
        }
    }

    static func printSteps(_ run: RunRecord) {
        Terminal.table(
            ["STEP", "STATUS", "ATTEMPTS", "TIME", "OUTPUTS", "NOTE"],
            run.steps.map { step in
                let seconds = step.startedAt.flatMap { start in
                    step.endedAt.map { String(format: "%.2fs", Double($0.milliseconds - start.milliseconds) / 1000) }
                }
                let outputs = step.outputs.sorted { $0.key < $1.key }.map { "\($0.key)@\($0.value.short)" }
                return [
                    step.step, step.status.rawValue, "\(step.attempts.count)", seconds ?? "-",
                    outputs.joined(separator: " "), step.message?.split(separator: "\n").first.map(String.init) ?? "",
                ]
            })
    }
}

struct LogsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "logs", abstract: "Print the captured standard output and error of a run's step attempts.")

    @Argument(help: "The run id from `sluice runs`.")
    var run: String

    @Argument(help: "Only this step.")
    var step: String?

    @Flag(
        name: .shortAndLong,
        help: "Print the output as the steps print it, until the run ends (--json: one chunk a line).")
    var follow = false

    @OptionGroup var projectOptions: ProjectOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        if follow { return try await followed() }
        let logs = try await projectOptions.engine().attemptLogs(run: run, step: step)
        if output.json { return try Terminal.json(logs) }
        for log in logs {
            print("== \(log.step), attempt \(log.attempt) ==")
            if !log.stdout.isEmpty { print(log.stdout, terminator: log.stdout.hasSuffix("\n") ? "" : "\n") }
            if !log.stderr.isEmpty {
                print("-- stderr --")
                print(log.stderr, terminator: log.stderr.hasSuffix("\n") ? "" : "\n")
            }
        }
    }
}

extension LogsCommand {
    /// `--follow`: a header when the step, attempt or stream changes, then the text as it comes.
    func followed() async throws {
        let json = output.json
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var current: (step: String, attempt: Int, stream: String)?
        try await projectOptions.engine().followLogs(run: run, step: step) { chunk in
            if json {
                FileHandle.standardOutput.write(try encoder.encode(chunk) + Data("\n".utf8))
                return
            }
            if current?.step != chunk.step || current?.attempt != chunk.attempt {
                Terminal.line("== \(chunk.step), attempt \(chunk.attempt) ==")
                current = (chunk.step, chunk.attempt, "stdout")
            }
            if current?.stream != chunk.stream {
                Terminal.line("-- \(chunk.stream) --")
                current?.stream = chunk.stream
            }
            FileHandle.standardOutput.write(Data(chunk.text.utf8))
        }
    }
}
