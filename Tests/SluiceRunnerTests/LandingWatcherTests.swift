import Foundation
import SluiceRunner
import Testing

@testable import SluiceCore

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

    /// Issue 22 item 7: a file ingested by hand before the service saw it lands nothing new, so starts no run.
    @Test func aFileThatLandedByHandStartsNoRun() async throws {
        let harness = try RunnerHarness(files: Self.files())
        try harness.write("landing/orders.csv", "id,amount\n1,1\n")
        _ = try await harness.workspace().ingest(source: "orders", environment: "dev")
        let landed = try await watcher(harness).scan(now: Self.later(10))
        #expect(landed.count == 1 && landed[0].unchanged && landed[0].runs.isEmpty, "\(landed.map(\.runs))")
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

    /// A file whose ingest fails for a reason that may pass (here: every attempt loses the race) is given back
    /// and tried again after a minute, not at once and not only when it changes; then it lands.
    @Test func aFileThatFailedForAPassingReasonIsTriedAgainLater() async throws {
        let harness = try RunnerHarness(files: Self.files())
        try harness.write("landing/orders.csv", "id,amount\n1,1\n")
        var scheduler = try SchedulerTests().scheduler(harness)
        let races = Tally()
        scheduler.checkpoint = { [harness] point in
            guard point == "ingest.published" else { return }
            let race = races.next()
            guard race <= 5 else { return }
            // Someone else lands other data first, every time.
            try? harness.write("elsewhere/\(race).csv", "id,amount\n\(100 + race),1\n")
            _ = try? await harness.workspace().ingest(
                source: "orders", environment: "dev",
                files: [harness.root.appendingPathComponent("elsewhere/\(race).csv")])
        }
        let watcher = LandingWatcher(scheduler: scheduler)
        // The watcher's clock, fixed here (a slow pass must not move it).
        let start = Self.later(10)
        func at(_ seconds: Int64) -> Timestamp { start.adding(TimeSpan(seconds: seconds)) }
        let failed = try await watcher.scan(now: start)
        #expect(failed.count == 1 && failed[0].version == nil, "five lost races fail this pass")
        #expect(try await watcher.scan(now: at(20)).isEmpty, "not tried again at once")
        let again = try await watcher.scan(now: at(70))
        #expect(again.count == 1 && again[0].version != nil, "\(again.map(\.problem))")
        #expect(try await watcher.scan(now: at(190)).isEmpty, "landed once")
    }

    @Test func onlyFailuresThatMayPassAreTriedAgain() {
        let identity = Identity(principal: "ci", role: nil, authentication: .token, tokenID: nil)
        #expect(LandingWatcher.mayPass(ConflictError("moved")))
        #expect(LandingWatcher.mayPass(InternalError("bug")))
        #expect(LandingWatcher.mayPass(UsageError("x.csv changed while it was being ingested")))
        #expect(!LandingWatcher.mayPass(UsageError("no source")))
        #expect(!LandingWatcher.mayPass(AccessDenied(identity: identity, message: "no", remedy: "grant")))
        let report = ValidationReport(
            dataset: "raw.orders", files: [], rows: 1, validRows: 0, invalidRows: 1, batchProblems: [], checks: [],
            checkedAt: .now())
        #expect(!LandingWatcher.mayPass(GateFailed(report: report, reason: "bad", quarantineID: nil)))
    }
}

/// Counts, from any task.
final class Tally: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    var count: Int { lock.withLock { value } }
    func next() -> Int {
        lock.withLock {
            value += 1; return value
        }
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
