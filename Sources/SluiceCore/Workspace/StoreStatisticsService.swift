import Foundation

/// What the store holds and what waits in it, for `/metrics`: counts only, never data, so any caller of the
/// service's scrape endpoint may read them. Computed by the store, not by decoding its records per scrape.
public struct StoreStatistics: Sendable, Hashable {
    /// By zone (every zone the project declares, zero when it holds nothing).
    public var zones: [String: VersionStatistics]
    public var firingAlerts: Int
    /// Messages waiting in the outbox, by channel.
    public var pendingDeliveries: [String: Int]
}

public struct StoreStatisticsService: UseCase {
    public let context: EngineContext

    public init(context: EngineContext) { self.context = context }

    public func statistics() async throws -> StoreStatistics {
        let stored = try await metadata.versionStatistics()
        var zones: [String: VersionStatistics] = [:]
        for zone in project.zones.map(\.name) { zones[zone] = stored[zone] ?? VersionStatistics() }
        var pending: [String: Int] = [:]
        for message in try await metadata.pendingOutbox() { pending[message.channel, default: 0] += 1 }
        return StoreStatistics(
            zones: zones, firingAlerts: try await metadata.firingAlerts().count, pendingDeliveries: pending)
    }

    /// Whether the metadata store answers (the service's readiness).
    public func probe() async throws { _ = try await metadata.auditHead() }
}

extension Workspace {
    public func storeStatistics() async throws -> StoreStatistics {
        try await StoreStatisticsService(context: context).statistics()
    }

    /// Throws unless the metadata store answers.
    public func probeStore() async throws { try await StoreStatisticsService(context: context).probe() }
}
