/// How a run ended, or that it is still going.
public enum RunStatus: String, Sendable, Codable {
    case running
    case succeeded
    case failed
    /// Stopped by a signal or by `sluice runs cancel`; its steps were killed and nothing landed.
    case cancelled
    /// Shown, never stored: a run recorded as running whose process stopped beating (`isAbandoned`). The
    /// lifecycle pass, or `sluice runs cancel`, ends it as cancelled.
    case abandoned
}

/// What became of one step in a run.
public enum StepStatus: String, Sendable, Codable {
    /// Not started yet (or never started, when the run stopped first).
    case pending
    case running
    case succeeded
    case failed
    /// Not run: an upstream step failed.
    case skipped
    /// Not run: the outputs of an identical earlier step run were reused (same cache key).
    case cached
    /// Not run: `--resume` took the outputs this step made in the resumed run.
    case resumed
    /// Stopped while it ran, because its run was cancelled (its process group was killed).
    case cancelled
}

/// One attempt at a step: when, how it ended, and where its captured output is.
public struct StepAttempt: Sendable, Codable, Hashable {
    public var number: Int
    public var startedAt: Timestamp
    public var endedAt: Timestamp?
    /// The process's exit status, when it exited.
    public var exitCode: Int32?
    public var succeeded: Bool
    /// Why the attempt failed, for the operator.
    public var message: String?
    /// Captured standard output and error, as stored objects.
    public var stdout: ObjectID?
    public var stderr: ObjectID?
    /// The SQL engine a sql step's attempt ran on, with its version (`duckdb v1.5.6 …`, `sqlite 3.40.1`).
    public var engine: String?

    public init(number: Int, startedAt: Timestamp) {
        self.number = number
        self.startedAt = startedAt
        self.succeeded = false
    }
}

/// One step within a run: its attempts, the versions it read and the versions it made.
public struct StepRun: Sendable, Codable, Hashable {
    public var step: String
    public var status: StepStatus
    public var attempts: [StepAttempt] = []
    /// Input dataset → the version the step read.
    public var inputs: [String: ObjectID] = [:]
    /// Output dataset → the version the step made.
    public var outputs: [String: ObjectID] = [:]
    /// The hash of everything the outputs depend on (see `CacheKey`).
    public var cacheKey: String?
    /// The run whose outputs a cached or resumed step reused.
    public var reusedFrom: String?
    public var startedAt: Timestamp?
    public var endedAt: Timestamp?
    public var message: String?

    public init(step: String, status: StepStatus = .pending) {
        self.step = step
        self.status = status
    }
}

/// One execution of a pipeline in an environment.
public struct RunRecord: Sendable, Codable, Hashable {
    public var id: String
    public var pipeline: String
    /// The environment the run writes (for a protected one, the staging environment it ran in is `workEnvironment`).
    public var environment: String
    public var workEnvironment: String
    public var principal: String
    public var status: RunStatus
    /// The trace id shared by every log line of the run.
    public var traceID: String
    public var gitCommit: String?
    public var engineVersion: String
    /// The environment's head when the run started, and the commit that landed its outputs.
    public var baseCommit: ObjectID?
    public var commit: ObjectID?
    public var resumedFrom: String?
    public var maxParallel: Int
    public var startedAt: Timestamp
    public var endedAt: Timestamp?
    public var message: String?
    public var steps: [StepRun]
    /// When the running process last said it is alive (it beats every `RunRecord.heartbeatInterval`).
    public var heartbeatAt: Timestamp?
    /// The host and process running it, so that `sluice runs cancel` can ask that process to stop.
    public var host: String?
    public var pid: Int32?
    /// True when the run goes on inside `sluice serve` (its pid is the service's): it is cancelled through
    /// the service, never by signalling that process.
    public var inService: Bool?

    /// How often a running run beats, and how long without a beat makes it abandoned.
    public static let heartbeatInterval = TimeSpan(seconds: 10)
    public static let abandonedAfter = TimeSpan(seconds: 60)

    /// A run recorded as running whose process has not beaten for `abandonedAfter`: killed, crashed or
    /// cut off. It is shown as abandoned, may be resumed or cancelled, and no longer holds its staging
    /// environment or objects against gc.
    public func isAbandoned(at now: Timestamp) -> Bool {
        status == .running
            && (heartbeatAt ?? startedAt).adding(Self.abandonedAfter).milliseconds < now.milliseconds
    }

    /// The run as readers see it at `now`: an abandoned one says so in its status.
    public func presented(at now: Timestamp) -> RunRecord {
        guard isAbandoned(at: now) else { return self }
        var shown = self
        shown.status = .abandoned
        return shown
    }

    public init(
        id: String, pipeline: String, environment: String, principal: String, traceID: String, gitCommit: String?,
        baseCommit: ObjectID?, maxParallel: Int, startedAt: Timestamp, steps: [StepRun]
    ) {
        self.id = id
        self.pipeline = pipeline
        self.environment = environment
        self.workEnvironment = environment
        self.principal = principal
        self.status = .running
        self.traceID = traceID
        self.gitCommit = gitCommit
        self.engineVersion = EngineVersion.current
        self.baseCommit = baseCommit
        self.maxParallel = maxParallel
        self.startedAt = startedAt
        self.steps = steps
    }

    public func step(_ name: String) -> StepRun? { steps.first { $0.step == name } }

    /// The SHA-256 of the record as saved, less its heartbeat (which only says the process was alive).
    public func auditDigest() throws -> String {
        var sealed = self
        sealed.heartbeatAt = nil
        return ObjectID.hashing(try CanonicalJSON.encode(sealed)).hex
    }

    /// Whether a failed step's message says the cancellation stopped it: a command step's process group killed,
    /// or a sql step's query interrupted.
    static func stoppedByCancellation(_ message: String) -> Bool {
        message.contains("killed by signal") || message.contains("interrupted by the run's cancellation")
    }

    /// Ends a run as cancelled: every step not yet finished is recorded as not run.
    public mutating func cancel(because reason: String, at time: Timestamp) {
        status = .cancelled
        endedAt = time
        message = reason
        for step in steps where step.status == .pending || step.status == .running {
            update(step.step) {
                $0.status = .skipped
                $0.message = "not run: the run was cancelled"
            }
        }
        // A step killed by the cancellation did not fail: it was stopped.
        for step in steps where step.status == .failed && Self.stoppedByCancellation(step.message ?? "") {
            update(step.step) {
                $0.status = .cancelled
                $0.message = "stopped: the run was cancelled"
                if let last = $0.attempts.indices.last, let killed = $0.attempts[last].message {
                    $0.attempts[last].message = "stopped by the cancellation (\(killed))"
                }
            }
        }
    }

    /// Changes one step's record in place.
    public mutating func update(_ step: String, _ change: (inout StepRun) -> Void) {
        guard let index = steps.firstIndex(where: { $0.step == step }) else { return }
        change(&steps[index])
    }
}

/// What a list of many runs shows of each: its id, pipeline, status, environment and start.
public struct RunSummary: Hashable, Sendable {
    public var id: String
    public var pipeline: String
    public var status: RunStatus
    public var environment: String
    public var startedAt: Timestamp

    public init(id: String, pipeline: String, status: RunStatus, environment: String, startedAt: Timestamp) {
        self.id = id
        self.pipeline = pipeline
        self.status = status
        self.environment = environment
        self.startedAt = startedAt
    }

    public init(_ run: RunRecord) {
        self.init(
            id: run.id, pipeline: run.pipeline, status: run.status, environment: run.environment,
            startedAt: run.startedAt)
    }
}

extension StepRun {
    /// It succeeded, or its outputs were reused from a run where it did.
    public var endedWell: Bool { [.succeeded, .cached, .resumed].contains(status) }

    /// How long it took, when it started and ended.
    public var seconds: Double? {
        guard let startedAt, let endedAt else { return nil }
        return Double(endedAt.milliseconds - startedAt.milliseconds) / 1000
    }
}
