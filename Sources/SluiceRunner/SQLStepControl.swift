import Foundation
import GRDB

/// Stops a running `sql` step from outside it — its timeout, or its run's cancellation — as a process group's
/// kill stops a command step: the query in flight is interrupted (`sqlite3_interrupt`), and loading or writing
/// rows stops at the next batch.
final class SQLStepControl: LiveAttempt, @unchecked Sendable {
    enum Reason: Sendable {
        case timedOut(Duration)
        case cancelled
    }

    private let lock = NSLock()
    private var database: DatabaseQueue?
    private var reason: Reason?

    /// The step's database: interrupted at once if the step was stopped before it had one.
    func attach(_ queue: DatabaseQueue) {
        let stopped = lock.withLock {
            database = queue
            return reason != nil
        }
        if stopped { queue.interrupt() }
    }

    func stop(_ why: Reason) {
        let queue = lock.withLock { () -> DatabaseQueue? in
            if reason == nil { reason = why }
            return database
        }
        queue?.interrupt()
    }

    func stop() { stop(.cancelled) }

    /// Why the step was stopped, as its attempt says it; `nil` while it may go on.
    var stopped: String? {
        lock.withLock {
            switch reason {
            case .timedOut(let limit): "timed out after \(limit.formatted()); its query was interrupted"
            case .cancelled: "its query was interrupted by the run's cancellation"
            case nil: nil
            }
        }
    }

    /// Throws when the step was stopped (called between batches of rows).
    func check() throws {
        if let stopped { throw SQLStepError(stopped) }
    }
}
