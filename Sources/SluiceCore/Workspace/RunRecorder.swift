import Foundation

/// Housekeeping's view of the run records: which runs there are, where they ran and whether they ended, so
/// that the folders killed runs left on a host can go. Writing a run's record is the run's own
/// (`RunService.begin`, `RunSession`), never this.
public struct RunRecorder: UseCase {
    public let context: EngineContext

    public init(context: EngineContext) { self.context = context }

    /// Every run, newest first (the sweep of what killed runs left on disk).
    public func allRuns() async throws -> [RunRecord] { try await metadata.runs(pipeline: nil) }
}

extension Workspace {
    /// Housekeeping's view of the run records.
    public var recorder: RunRecorder { RunRecorder(context: context) }
}
