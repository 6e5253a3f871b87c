/// A named set of grants.
public struct Role: Hashable, Sendable {
    public var name: String
    public var grants: [Grant]
    /// The highest classification of data the role may read at all (`classification:` on the role);
    /// datasets above it are refused whatever the grants say.
    public var classification: Classification
    public var location: SourceLocation

    public init(
        name: String, grants: [Grant], classification: Classification = .restricted, location: SourceLocation
    ) {
        self.name = name
        self.grants = grants
        self.classification = classification
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
