import Foundation
import ServiceLifecycle
import SluiceCore
import SluiceRunner

/// Runs started through the API, owned by the service: each goes in a task of the launcher's group, so a
/// graceful shutdown waits for them (and `InProcessRuns` cancels them after the grace period).
public final class RunLauncher: Service, Sendable {
    private let jobs: AsyncStream<@Sendable () async -> Void>
    private let submitter: AsyncStream<@Sendable () async -> Void>.Continuation

    public init() {
        (jobs, submitter) = AsyncStream.makeStream(of: (@Sendable () async -> Void).self)
    }

    /// Starts `job` in the launcher's group.
    public func submit(_ job: @escaping @Sendable () async -> Void) {
        submitter.yield(job)
    }

    public func run() async throws {
        await withTaskGroup(of: Void.self) { group in
            for await job in jobs.cancelOnGracefulShutdown() { group.addTask { await job() } }
            await group.waitForAll()
        }
    }
}
