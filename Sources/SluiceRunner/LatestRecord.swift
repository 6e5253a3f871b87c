import Foundation
import SluiceCore

/// The newest state of a run record not saved yet, handed from the scheduling loop to the task saving it.
final class LatestRecord: @unchecked Sendable {
    private let lock = NSLock()
    private var latest: RunRecord?

    func offer(_ run: RunRecord) { lock.withLock { latest = run } }

    func take() -> RunRecord? {
        lock.withLock {
            defer { latest = nil }
            return latest
        }
    }
}
