/// An ordered stage of data (`raw` → `staged` → `curated`). Data flows only to the same or a later zone.
public struct Zone: Hashable, Sendable {
    public var name: String
    /// Position in the project's zone order; 0 is the first (immutable, ingestion-only) zone.
    public var order: Int
    public var lifecycle: Lifecycle?
    public var location: SourceLocation

    public init(name: String, order: Int, lifecycle: Lifecycle?, location: SourceLocation) {
        self.name = name
        self.order = order
        self.lifecycle = lifecycle
        self.location = location
    }
}
