/// The acting principal may not do what it asked. Says who was denied what, and what would allow it.
public struct AccessDenied: SluiceError {
    public var identity: Identity
    public var message: String
    public var remedy: String

    public init(identity: Identity, message: String, remedy: String) {
        self.identity = identity
        self.message = message
        self.remedy = remedy
    }

    public var status: ExitStatus { .denied }

    public var description: String {
        "access denied: \(message)\nacting as: \(identity)\nto allow it: \(remedy)"
    }
}
