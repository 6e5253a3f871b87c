/// One landing file as the service saw it settle (its path, size and modification time), claimed before it is
/// ingested: the same file is ingested once, even across restarts and by two services; a changed file (new
/// size or time) is a new claim, so a rejected file is tried again only once it changes.
public struct LandingClaim: Sendable, Hashable, Codable {
    public var source: String
    /// Relative to the project.
    public var path: String
    public var size: Int64
    public var modifiedMilliseconds: Int64
    public var claimedAt: Timestamp
    public var claimedBy: String

    public init(
        source: String, path: String, size: Int64, modifiedMilliseconds: Int64, claimedAt: Timestamp,
        claimedBy: String
    ) {
        self.source = source
        self.path = path
        self.size = size
        self.modifiedMilliseconds = modifiedMilliseconds
        self.claimedAt = claimedAt
        self.claimedBy = claimedBy
    }
}
