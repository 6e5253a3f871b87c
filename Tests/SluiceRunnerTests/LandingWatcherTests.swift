import Foundation
import SluiceCore
import SluiceRunner
import Testing

/// Issue 12 item 5: a landing file that has stopped changing is ingested once (across restarts and by two
/// services), the pipelines declaring `on:` its source run after it, and a rejected file is tried again only
/// once it changes.
@Suite struct LandingWatcherTests {
    static func files() -> [String: String] {
        var files = SchedulerTests.files()
        files["sluice.yaml"] = files["sluice.yaml"]!
            .replacingOccurrences(of: "    schedule: \"0 * * * *\"\n", with: "    on: [orders]\n")
        return files
    }

    func watcher(_ harness: RunnerHarness, claimant: String = "test:1") throws -> LandingWatcher {
        LandingWatcher(scheduler: try SchedulerTests().scheduler(harness, claimant: claimant))
    }

    static func later(_ seconds: Int64) -> Timestamp {
        Timestamp(milliseconds: Timestamp.now().milliseconds + seconds * 1000)
    }

    @Test func aSettledFileIsIngestedOnceAndStartsItsPipeline() async throws {
        let harness = try RunnerHarness(files: Self.files())
        try harness.write("landing/orders.csv", "id,amount\n1,1\n2,2\n")
        let one = try watcher(harness)
        #expect(try await one.scan(now: .now()).isEmpty, "a file still being written is left alone")
        let landed = try await one.scan(now: Self.later(10))
        #expect(landed.count == 1 && landed[0].version != nil, "\(landed.map(\.problem))")
        #expect(landed.first?.runs.map(\.status) == [.succeeded])
        #expect(try await harness.read("curated.orders") == "id,amount\n1,2.0\n2,4.0\n")
        // A restarted service, or a second one, does not ingest it again.
        #expect(try await one.scan(now: Self.later(20)).isEmpty)
        #expect(try await watcher(harness, claimant: "other:2").scan(now: Self.later(20)).isEmpty)
    }

    @Test func aRejectedFileWaitsUntilItChanges() async throws {
        let harness = try RunnerHarness(files: Self.files())
        try harness.write("landing/orders.csv", "id,amount\nx,1\n")
        let watcher = try watcher(harness)
        let refused = try await watcher.scan(now: Self.later(10))
        #expect(refused.count == 1 && refused[0].version == nil && refused[0].runs.isEmpty)
        #expect(try await watcher.scan(now: Self.later(20)).isEmpty, "not retried while unchanged")
        #expect(FileManager.default.fileExists(atPath: harness.root.appendingPathComponent("landing/orders.csv").path))
        try harness.write("landing/orders.csv", "id,amount\n3,10\n")
        let fixed = try await watcher.scan(now: Self.later(30))
        #expect(fixed.count == 1 && fixed[0].version != nil, "\(fixed.map(\.problem))")
    }

    /// The claimed file is not lost when another change of the environment wins the race to land first.
    @Test func aClaimedFileLosingARaceIsIngestedAgain() async throws {
        let harness = try RunnerHarness(files: Self.files())
        try harness.write("landing/orders.csv", "id,amount\n1,1\n")
        var scheduler = try SchedulerTests().scheduler(harness)
        let raced = Flag()
        scheduler.checkpoint = { [harness] point in
            guard point == "ingest.published", raced.setOnce() else { return }
            // Someone else lands first, moving dev under the watcher's feet.
            _ = try? await harness.workspace().ingest(source: "orders", environment: "dev")
        }
        let landed = try await LandingWatcher(scheduler: scheduler).scan(now: Self.later(10))
        #expect(raced.isSet)
        #expect(landed.count == 1 && landed[0].version != nil, "\(landed.map(\.problem))")
    }
}

/// Set once, from any task.
final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var set = false
    var isSet: Bool { lock.withLock { set } }
    func setOnce() -> Bool {
        lock.withLock {
            defer { set = true }
            return !set
        }
    }
}
