import Foundation

/// The audit chain as callers outside the engine touch it: the web UI's sign-ins and sign-outs.
public struct AuditTrail: UseCase {
    public let context: EngineContext

    public init(context: EngineContext) { self.context = context }

    /// Records that this principal signed in to the web UI (`ui.signin`) or out (`ui.signout`); `client` is
    /// the address the request came from.
    public func recordSession(signedIn: Bool, client: String) async throws {
        try await record(
            signedIn ? "ui.signin" : "ui.signout", target: "session", outcome: .succeeded, details: ["client": client])
    }
}

extension Workspace {
    public var auditTrail: AuditTrail { AuditTrail(context: context) }
}
