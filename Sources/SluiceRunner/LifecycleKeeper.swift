import Foundation
import Logging
import SluiceCore

/// Lifecycles enforced by the service itself: on the `service: { gc: }` schedule (hourly by default), as the
/// principal that runs scheduled pipelines, it ends runs whose process stopped beating (abandoned) and runs
/// the garbage collector, so idle sandboxes really go after their period of disuse. Each pass is claimed like
/// a scheduled tick, so two services do not both collect.
public struct LifecycleKeeper: Sendable {
    /// The tick name of the collector's passes (not a pipeline name: those have no dot).
    public static let tickName = "sluice.gc"
    public let scheduler: PipelineScheduler

    public init(scheduler: PipelineScheduler) { self.scheduler = scheduler }

    /// What one pass did.
    public struct Pass: Sendable {
        public var abandonedRunsEnded: [String]
        public var report: GCReport
        public var foldersRemoved: Int
    }

    /// Runs a pass when one is due at `now` (the first time, at once); `nil` when none is.
    public func keepIfDue(now: Timestamp) async throws -> Pass? {
        let schedule = try scheduler.project.serviceGC ?? CronSchedule("@hourly")
        let tick = schedule.latest(atOrBefore: now.date, in: TimeZone(identifier: "UTC")!).map(Timestamp.init) ?? now
        let book = scheduler.book
        if let last = try await book.latestTick(pipeline: Self.tickName, environment: "*"), last >= tick {
            return nil
        }
        let claim = TickClaim(
            pipeline: Self.tickName, environment: "*", tick: tick, claimedAt: now, claimedBy: scheduler.claimant)
        guard try await book.claim(claim) else { return nil }
        let workspace = try await scheduler.serviceWorkspace()
        var ended: [String] = []
        for run in try await book.abandonedRuns(at: now) {
            if case .marked = try await workspace.cancelRun(run.id) { ended.append(run.id) }
        }
        let report = try await workspace.collectGarbage(dryRun: false)
        // Folders that runs killed outright left on this host (working folders, live output).
        let folders = try await ScratchSweeper.sweepAll(
            workspace, now: now, grace: TimeSpan(seconds: 3_600), dryRun: false)
        return Pass(abandonedRunsEnded: ended, report: report, foldersRemoved: folders.count)
    }
}
