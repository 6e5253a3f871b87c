import Foundation

/// The audit chain as callers outside the engine touch it: where it stands, and a refusal recorded once.
public struct AuditTrail: UseCase {
    public let context: EngineContext

    public init(context: EngineContext) { self.context = context }

    /// The sequence number of the newest event (0 on an empty chain).
    public func position() async throws -> Int64 { try await metadata.auditHead()?.sequence ?? 0 }

    /// Records that `request` was refused, unless the operation refusing it already recorded a denial of
    /// this principal after `position` (every refusal is audited, once).
    public func recordRefusal(_ denied: AccessDenied, of request: String, after position: Int64) async throws {
        if context.countedDenials != nil {
            // Counted once per request, whoever refused it first.
            return try await record("api", target: request, outcome: .denied, details: ["reason": denied.message])
        }
        let newest = try await metadata.auditEvents(
            AuditFilter(principal: identity.name, outcome: .denied), page: PageRequest(limit: 1))
        if let event = newest.items.first, event.sequence > position { return }
        try await record("api", target: request, outcome: .denied, details: ["reason": denied.message])
    }

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
