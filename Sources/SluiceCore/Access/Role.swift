/// A named set of grants.
public struct Role: Hashable, Sendable {
    public var name: String
    public var grants: [Grant]
    public var location: SourceLocation

    public init(name: String, grants: [Grant], location: SourceLocation) {
        self.name = name
        self.grants = grants
        self.location = location
    }
}

/// Someone or something that acts: a person, a CI identity, a service.
public struct Principal: Hashable, Sendable {
    public var name: String
    public var role: String
    public var location: SourceLocation
    /// Where the role reference was written.
    public var roleLocation: SourceLocation

    public init(name: String, role: String, location: SourceLocation, roleLocation: SourceLocation) {
        self.name = name
        self.role = role
        self.location = location
        self.roleLocation = roleLocation
    }
}
