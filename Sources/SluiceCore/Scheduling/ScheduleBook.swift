import Foundation

/// What the service's scheduler, landing watcher and lifecycle keeper ask of the store to coordinate: ticks and
/// landing files, each claimed once across services; live and abandoned runs. They go through this, never to
/// the metadata store itself.
public struct ScheduleBook: Sendable {
    let metadata: any MetadataStore

    public init(metadata: any MetadataStore) { self.metadata = metadata }

    /// The newest tick claimed for `pipeline` in `environment`.
    public func latestTick(pipeline: String, environment: String) async throws -> Timestamp? {
        try await metadata.latestTick(pipeline: pipeline, environment: environment)
    }

    /// Claims a tick; false when another claimed it first.
    public func claim(_ tick: TickClaim) async throws -> Bool { try await metadata.claimTick(tick) }

    /// Claims a landing file as it is now (size and time); false when it was claimed before.
    public func claim(_ landing: LandingClaim) async throws -> Bool { try await metadata.claimLanding(landing) }

    /// Gives a claimed landing file back, to be claimed again.
    public func release(_ landing: LandingClaim) async throws { try await metadata.releaseLanding(landing) }

    /// The id of a live run of `pipeline` in `environment` at `now`, if one is in progress.
    public func liveRun(of pipeline: String, in environment: String, at now: Timestamp) async throws -> String? {
        let page = try await metadata.runs(
            RunFilter(pipeline: pipeline, status: .running), page: PageRequest(limit: PageRequest.maximumLimit))
        return page.items.first { $0.environment == environment && !$0.isAbandoned(at: now) }?.id
    }

    /// Runs recorded as running whose process stopped beating.
    public func abandonedRuns(at now: Timestamp) async throws -> [RunRecord] {
        let page = try await metadata.runs(
            RunFilter(status: .running), page: PageRequest(limit: PageRequest.maximumLimit))
        return page.items.filter { $0.isAbandoned(at: now) }
    }
}
