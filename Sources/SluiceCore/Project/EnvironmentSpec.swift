/// A declared environment or environment pattern (`prod`, `dev`, `sandbox/*`).
public struct EnvironmentSpec: Hashable, Sendable {
    public var pattern: EnvironmentPattern
    /// Protected environments change only by promotion, by a token-authenticated principal with the grant.
    public var protected: Bool
    public var lifecycle: Lifecycle?
    public var location: SourceLocation

    public init(pattern: EnvironmentPattern, protected: Bool, lifecycle: Lifecycle?, location: SourceLocation) {
        self.pattern = pattern
        self.protected = protected
        self.lifecycle = lifecycle
        self.location = location
    }

    /// A protected environment keeps everything forever whatever else it declares.
    public var effectiveLifecycle: Lifecycle? { protected ? .forever : lifecycle }
}
