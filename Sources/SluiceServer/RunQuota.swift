import Foundation
import SluiceCore

/// How many runs each principal may have going on at once through the API and the web UI (the service's own
/// scheduled and triggered runs are not counted): one caller cannot take every core of the service.
public final class RunQuota: @unchecked Sendable {
    public let maximumPerPrincipal: Int
    private let lock = NSLock()
    private var running: [String: Int] = [:]  // guarded by lock

    public init(maximumPerPrincipal: Int = 8) {
        self.maximumPerPrincipal = maximumPerPrincipal
    }

    /// Counts a run of `principal`, or throws 429 when it already has its maximum going on.
    public func reserve(for principal: String) throws {
        let granted = lock.withLock { () -> Bool in
            let count = running[principal] ?? 0
            guard count < maximumPerPrincipal else { return false }
            running[principal] = count + 1
            return true
        }
        guard granted else {
            throw ServiceBusy.rateLimited(
                "\(principal) already has \(maximumPerPrincipal) runs going on in this service; wait for one to end",
                retryAfter: 10)
        }
    }

    /// Gives back what `reserve` counted, when the run has ended (or did not start).
    public func release(for principal: String) {
        lock.withLock {
            let left = (running[principal] ?? 0) - 1
            running[principal] = left > 0 ? left : nil
        }
    }
}
