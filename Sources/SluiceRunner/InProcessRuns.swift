import Foundation
import SluiceCore

/// The runs going on inside this process (the service's): each has an interruption of its own, so that one
/// run can be cancelled through the API without touching the others, and a shutdown can stop them all.
/// Cancelling a run of this process must never signal the process itself.
public final class InProcessRuns: @unchecked Sendable {
    private let lock = NSLock()
    private var running: [String: RunInterruption] = [:]
    private var stopping: String?

    public init() {}

    /// Registers run `id`; the interruption it returns is already interrupted when everything is stopping.
    func begin(_ id: String) -> RunInterruption {
        let interruption = RunInterruption()
        let why = lock.withLock {
            running[id] = interruption
            return stopping
        }
        if let why { interruption.interrupt(because: why) }
        return interruption
    }

    func end(_ id: String) {
        _ = lock.withLock { running.removeValue(forKey: id) }
    }

    /// Interrupts run `id`; false when it does not run in this process.
    public func interrupt(_ id: String, because why: String) -> Bool {
        guard let interruption = lock.withLock({ running[id] }) else { return false }
        interruption.interrupt(because: why)
        return true
    }

    /// Interrupts every run going on, and every run that begins from now on.
    public func interruptAll(because why: String) {
        let all = lock.withLock {
            stopping = stopping ?? why
            return Array(running.values)
        }
        for interruption in all { interruption.interrupt(because: why) }
    }
}
