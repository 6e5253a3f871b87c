import Foundation
import SluiceCore

/// One attempt at a step, prepared: its inputs are files, its outputs are paths to write.
public struct StepJob: Sendable {
    public var step: Step
    /// Where the step's own files are read (the project as committed, for a run of the service).
    public var projectRoot: URL
    /// The project's work tree, where an argument naming a path the committed files lack is found (a folder
    /// of data, say); `nil`: the same as `projectRoot`.
    public var workTree: URL? = nil
    /// The run this attempt belongs to, and the run's private folder, which holds the attempt's directory.
    public var runID: String
    public var runDirectory: URL
    /// The attempt's own working directory (temporary).
    public var directory: URL
    public var inputs: [DatasetName: URL]
    public var outputs: [DatasetName: URL]
    /// The declared datasets of the inputs and outputs (their contracts type SQL columns).
    public var contracts: [DatasetName: Dataset]
    /// The project's `sql:` settings (DuckDB's memory limit and threads).
    public var sql = SQLSettings()
    public var timeout: Duration?
    /// Variables the step sees besides the basic ones (`PATH`, `HOME`, `LANG`).
    public var variables: [String: String]
    /// Where the attempt's output goes as it is printed (`LIVE.stdout`, `LIVE.stderr`), for `logs --follow`.
    public var liveOutput: URL?
    /// Where the project's files named by the step's arguments are found.
    public var files: any EngineFiles
}

/// How an attempt ended.
public struct StepExecution: Sendable {
    public var exitCode: Int32?
    public var timedOut: Bool
    /// Why it failed, for the operator; `nil` on success.
    public var failure: String?
    /// What the attempt printed.
    public var stdout: Data
    public var stderr: Data
    /// The SQL engine a sql step ran on, with its version (`duckdb v1.5.6 …`, `sqlite 3.40.1`).
    public var engine: String?

    public init(
        exitCode: Int32?, timedOut: Bool = false, failure: String?, stdout: Data = Data(), stderr: Data = Data()
    ) {
        self.exitCode = exitCode
        self.timedOut = timedOut
        self.failure = failure
        self.stdout = stdout
        self.stderr = stderr
    }

    public var succeeded: Bool { failure == nil }
}

/// Runs step attempts. Local processes today; remote workers later, as another conformer.
public protocol StepExecutor: Sendable {
    func execute(_ job: StepJob) async throws -> StepExecution
    /// Kills every attempt running now (the run was interrupted); they end as failed.
    func stopAll()
}

extension StepExecutor {
    public func stopAll() {}
}
