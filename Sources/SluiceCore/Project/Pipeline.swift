/// What a step runs.
public enum StepKind: Hashable, Sendable {
    /// A SELECT file run on a SQL engine (`Step.sqlEngine`); path relative to the project root.
    case sql(file: String)
    /// An executable and its arguments.
    case command([String])
}

/// How a step retries a failed attempt.
public struct RetryPolicy: Hashable, Sendable {
    public var attempts: Int
    public var backoff: TimeSpan
    public var maxBackoff: TimeSpan?

    public init(attempts: Int = 1, backoff: TimeSpan = TimeSpan(seconds: 1), maxBackoff: TimeSpan? = nil) {
        self.attempts = attempts
        self.backoff = backoff
        self.maxBackoff = maxBackoff
    }
}

/// A step test: fixture files for the step's inputs and the output it must produce from them.
public struct StepTest: Hashable, Sendable {
    public var name: String
    /// Input dataset → fixture file (relative to the project root).
    public var inputs: [DatasetName: String]
    /// Output dataset → expected file.
    public var expected: [DatasetName: String]
    /// The engine the test runs a sql step on (`engine:`); `nil`: the step's own.
    public var engine: SQLEngine?
    public var location: SourceLocation

    public init(
        name: String, inputs: [DatasetName: String], expected: [DatasetName: String], engine: SQLEngine? = nil,
        location: SourceLocation
    ) {
        self.name = name
        self.inputs = inputs
        self.expected = expected
        self.engine = engine
        self.location = location
    }
}

/// One transformation from input datasets to output datasets.
public struct Step: Hashable, Sendable {
    public var name: String
    public var kind: StepKind
    /// The engine a sql step runs on: its own `engine:`, else the project's `sql: { engine: }`, else SQLite.
    public var sqlEngine: SQLEngine = .sqlite
    public var inputs: [DatasetName]
    public var outputs: [DatasetName]
    /// Steps of the same pipeline this one runs after, besides those writing its inputs (for command
    /// steps whose effect is not a dataset, such as a notification).
    public var after: [String] = []
    public var retries: RetryPolicy
    public var timeout: TimeSpan?
    public var tests: [StepTest] = []
    public var location: SourceLocation
    /// Where each input and output was written, for messages about one reference.
    public var referenceLocations: [DatasetName: SourceLocation]

    public init(name: String, kind: StepKind, location: SourceLocation) {
        self.name = name
        self.kind = kind
        self.inputs = []
        self.outputs = []
        self.retries = RetryPolicy()
        self.location = location
        self.referenceLocations = [:]
    }
}

/// Steps whose inputs and outputs form a DAG, with an optional cron schedule.
public struct Pipeline: Hashable, Sendable {
    public var name: String
    public var schedule: String?
    /// The schedule, parsed (`nil` without one).
    public var cron: CronSchedule?
    /// The IANA time zone the schedule's times are in (`timezone:`; UTC when absent).
    public var timeZone = "UTC"
    /// The environment scheduled runs go into (`environment:`; the project's default when absent).
    public var environment: String?
    /// Sources whose new files start the pipeline once they are ingested (`on: [orders_drop]`).
    public var triggers: [String] = []
    /// What a tick due while the pipeline's previous run in the environment still runs does (`overlap:`).
    public var overlap: Overlap = .skip

    public enum Overlap: String, Sendable, Hashable, CaseIterable {
        /// The tick is recorded as skipped.
        case skip
        /// The tick waits, and runs once the previous run has ended (if no newer tick came due meanwhile).
        case wait
    }
    public var steps: [Step]
    public var location: SourceLocation

    public init(name: String, schedule: String?, steps: [Step], location: SourceLocation) {
        self.name = name
        self.schedule = schedule
        self.steps = steps
        self.location = location
    }
}
