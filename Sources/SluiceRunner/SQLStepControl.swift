import CSluiceSQLite
import Foundation
import GRDB

/// Stops a running `sql` step from outside it — its timeout, or its run's cancellation — as a process group's
/// kill stops a command step: a flag its database's progress handler reads stops the statement in flight (or
/// the next one), and loading or writing rows stops at the next batch.
final class SQLStepControl: LiveAttempt, @unchecked Sendable {
    enum Reason: Sendable {
        case timedOut(Duration)
        case cancelled
    }

    private let lock = NSLock()
    private var reason: Reason?
    /// Read by SQLite's progress handler on the step's thread; raised once, never lowered.
    private let flag = UnsafeMutablePointer<Int32>.allocate(capacity: 1)

    init() { flag.initialize(to: 0) }

    deinit { flag.deallocate() }

    /// Makes the step's database stop when this control is stopped.
    func watch(_ db: Database) {
        sluice_sqlite_stop_when(UnsafeMutableRawPointer(db.sqliteConnection), flag)
    }

    func stop(_ why: Reason) {
        lock.withLock { if reason == nil { reason = why } }
        sluice_flag_raise(flag)
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
