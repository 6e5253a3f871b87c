import Foundation
import SluiceCore

/// A run's record as its steps change it, shared by the scheduling loop (which changes it in place, a step at a
/// time, by one dictionary lookup) and the task saving it (which takes it at most every 200 ms, when it changed).
/// The record is copied only when it is changed again after being taken, not on every event.
final class LatestRecord: @unchecked Sendable {
    private let lock = NSLock()
    private var record: RunRecord
    private var changed = false
    private let positions: [String: Int]

    init(_ run: RunRecord) {
        record = run
        positions = Dictionary(run.steps.enumerated().map { ($1.step, $0) }) { first, _ in first }
    }

    /// Changes step `name` (nothing when the record has no such step).
    func update(_ name: String, _ change: (inout StepRun) -> Void) {
        guard let position = positions[name] else { return }
        lock.withLock {
            change(&record.steps[position])
            changed = true
        }
    }

    /// The record to save, when it changed since it was last taken.
    func take() -> RunRecord? {
        lock.withLock {
            guard changed else { return nil }
            changed = false
            return record
        }
    }

    /// The record as it stands.
    var current: RunRecord { lock.withLock { record } }
}
