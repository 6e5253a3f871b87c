import Foundation
import SluiceCore

/// Tells a running pipeline to stop: no new step starts, every running step's process group is killed, and
/// the run ends `cancelled` with nothing landed. A signal handler (or a test) interrupts; the runner and
/// its executor listen.
public final class RunInterruption: @unchecked Sendable {
    private let lock = NSLock()
    private var reason: String?
    private var listeners: [@Sendable () -> Void] = []

    public init() {}

    /// Why the run was interrupted, once it was.
    public var interruptedBecause: String? { lock.withLock { reason } }

    /// Interrupts once; later calls are ignored.
    public func interrupt(because why: String) {
        let toCall: [@Sendable () -> Void] = lock.withLock {
            guard reason == nil else { return [] }
            reason = why
            return listeners
        }
        for listener in toCall { listener() }
    }

    /// An interruption that happens when `first` or `second` (if any) is interrupted, for the same reason.
    static func either(_ first: RunInterruption, _ second: RunInterruption?) -> RunInterruption {
        guard let second else { return first }
        let both = RunInterruption()
        for one in [first, second] {
            one.onInterrupt { [weak both, weak one] in
                both?.interrupt(because: one?.interruptedBecause ?? "interrupted")
            }
        }
        return both
    }

    /// Calls `listener` on interruption (at once if it already happened).
    func onInterrupt(_ listener: @escaping @Sendable () -> Void) {
        let already = lock.withLock {
            if reason == nil { listeners.append(listener) }
            return reason != nil
        }
        if already { listener() }
    }
}

/// A run that ended without landing anything; its record says why.
public protocol RunEndedBadly: SluiceError {
    var run: RunRecord { get }
}

/// The run was cancelled: its steps were killed and nothing landed.
public struct RunCancelled: RunEndedBadly {
    public var run: RunRecord
    public init(run: RunRecord) { self.run = run }
    public var status: ExitStatus { .failed }
    public var code: ErrorCode { .runCancelled }

    public var description: String {
        "run \(run.id) of \(run.pipeline) was cancelled (\(run.message ?? "interrupted")); \(run.environment) is unchanged\n"
            + "hint: finish it later with sluice run \(run.pipeline) --resume \(run.id)"
    }
}
