import Foundation
import ServiceLifecycle
import SluiceCore
import SluiceRunner

/// Runs started through the API, owned by the service: each goes in a task of the launcher's group, so a
/// graceful shutdown waits for them (and `InProcessRuns` cancels them after the grace period). Once the
/// shutdown begins, the launcher is draining: it takes no new job (`submit` throws a 503 error at once, so
/// no request waits for a run that would never start), and the jobs accepted before still run.
public final class RunLauncher: Service, @unchecked Sendable {
    private let jobs: AsyncStream<@Sendable () async -> Void>
    private let submitter: AsyncStream<@Sendable () async -> Void>.Continuation
    private let lock = NSLock()
    private var draining = false  // guarded by lock

    public init() {
        (jobs, submitter) = AsyncStream.makeStream(of: (@Sendable () async -> Void).self)
    }

    /// Whether the service is shutting down (new work is refused with 503).
    public var isDraining: Bool { lock.withLock { draining } }

    /// Starts `job` in the launcher's group, or throws `ServiceBusy.draining` when the service is shutting down.
    public func submit(_ job: @escaping @Sendable () async -> Void) throws {
        // Under the lock, so that no job is queued after the stream has finished.
        let queued = lock.withLock { () -> Bool in
            guard !draining, case .enqueued = submitter.yield(job) else { return false }
            return true
        }
        guard queued else { throw ServiceBusy.draining("a run") }
    }

    /// Throws `ServiceBusy` when a job would be refused now (the service is draining).
    public func admit(_ what: String) throws {
        guard !lock.withLock({ draining }) else { throw ServiceBusy.draining(what) }
    }

    /// Begins the drain: later submissions are refused; the jobs already queued still run.
    public func drain() {
        lock.withLock {
            draining = true
            submitter.finish()
        }
    }

    public func run() async throws {
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                for await job in jobs { group.addTask { await job() } }
                await group.waitForAll()
            }
            // Drained early (`DrainOnShutdown`): the group expects this service to end only when its own turn
            // to shut down comes.
            try? await gracefulShutdown()
        } onGracefulShutdown: {
            self.drain()
        }
    }
}

/// The first service to hear of a graceful shutdown (it stands last in the group, which shuts down in reverse
/// order): it makes the launcher drain at once, so that no request starts a run while the other services wind
/// down (a run started then would outlive the grace period that the scheduler gives the running ones).
struct DrainOnShutdown: Service {
    let launcher: RunLauncher

    func run() async throws {
        try? await gracefulShutdown()
        launcher.drain()
    }
}
