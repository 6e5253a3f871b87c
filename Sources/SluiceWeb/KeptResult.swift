import Foundation
import SluiceCore

/// A result that is costly to make (the audit chain recomputed, a dry run of the collector), kept and shared
/// by every viewer. The first page to need it makes it; after `maximumAge` the kept one is still served while a
/// new one is made in the background, so no page waits for it again. Pages say when it was made.
actor KeptResult<Value: Sendable> {
    private var kept: (value: Value, at: Timestamp)?
    private var refreshing = false
    let maximumAge: Int64

    init(maximumAge: Int64 = 60_000) { self.maximumAge = maximumAge }

    func value(
        now: Timestamp, _ make: @escaping @Sendable () async throws -> Value
    ) async throws -> (value: Value, at: Timestamp) {
        guard let kept else {
            let value = try await make()
            let made = (value, Timestamp.now())
            self.kept = made
            return made
        }
        if now.milliseconds - kept.at.milliseconds > maximumAge, !refreshing {
            refreshing = true
            Task { await self.refresh(make) }
        }
        return kept
    }

    private func refresh(_ make: @Sendable () async throws -> Value) async {
        if let value = try? await make() { kept = (value, .now()) }
        refreshing = false
    }
}
