import Logging

/// The trace id of the run going on in this task, added to every log line written inside it (the runner's
/// own, the engine's audit lines, the steps' collectors) by the logging system's metadata provider.
public enum LogTrace {
    @TaskLocal public static var traceID: String?

    /// For `LoggingSystem.bootstrap(_:metadataProvider:)`: `trace.id` while a run goes on.
    public static let metadataProvider = Logger.MetadataProvider {
        traceID.map { ["trace.id": "\($0)"] } ?? [:]
    }
}
