/// How long something lives. Declared on zones, datasets and environments; inherited zone → dataset and
/// pattern → environment.
public struct Lifecycle: Hashable, Sendable, Codable {
    /// Never delete.
    public var keepForever: Bool
    /// Keep at least the newest N versions of a dataset.
    public var keepVersions: Int?
    /// Keep versions younger than this many days.
    public var keepDays: Int?
    /// Expire an environment after this long without a read or write.
    public var expireAfterIdle: TimeSpan?
    /// Expire an environment this long after it was created.
    public var expireAfter: TimeSpan?

    public init(
        keepForever: Bool = false, keepVersions: Int? = nil, keepDays: Int? = nil,
        expireAfterIdle: TimeSpan? = nil, expireAfter: TimeSpan? = nil
    ) {
        self.keepForever = keepForever
        self.keepVersions = keepVersions
        self.keepDays = keepDays
        self.expireAfterIdle = expireAfterIdle
        self.expireAfter = expireAfter
    }

    public static let forever = Lifecycle(keepForever: true)

    public var summary: String {
        if keepForever { return "keep forever" }
        var parts: [String] = []
        if let keepVersions { parts.append("keep \(keepVersions) versions") }
        if let keepDays { parts.append("keep \(keepDays) days") }
        if let expireAfterIdle { parts.append("expire after \(expireAfterIdle) idle") }
        if let expireAfter { parts.append("expire \(expireAfter) after creation") }
        return parts.joined(separator: ", ")
    }
}
