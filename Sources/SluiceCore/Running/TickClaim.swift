/// One scheduled firing of a pipeline into an environment, claimed in the metadata store by the service that
/// runs it: a tick is claimed once, so two services, or a service started twice, never run it twice.
public struct TickClaim: Sendable, Hashable, Codable {
    public var pipeline: String
    public var environment: String
    /// The fire time the schedule named (not when it was noticed).
    public var tick: Timestamp
    public var claimedAt: Timestamp
    /// Which service claimed it (`host:pid`).
    public var claimedBy: String

    public init(pipeline: String, environment: String, tick: Timestamp, claimedAt: Timestamp, claimedBy: String) {
        self.pipeline = pipeline
        self.environment = environment
        self.tick = tick
        self.claimedAt = claimedAt
        self.claimedBy = claimedBy
    }
}
