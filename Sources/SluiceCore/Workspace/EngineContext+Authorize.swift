import Foundation

extension EngineContext {
    /// The one place where an operation's access is decided: throws `AccessDenied` unless the caller holds
    /// every permission, having first recorded the refusal in the audit chain (counted, for a network caller
    /// without credentials). The event is that of the operation running (`audited`'s action, target and
    /// details) unless `action` and `target` are given.
    public func authorize(
        _ permissions: [Permission], action: String? = nil, target: String? = nil, details: [String: String] = [:]
    ) async throws {
        do {
            for permission in permissions { try policy.check(permission, by: identity) }
        } catch let denied as AccessDenied {
            let running = InlineAudit.current
            try await record(
                action ?? running?.action ?? "access",
                target: target ?? running?.target ?? permissions.first?.target ?? "store", outcome: .denied,
                details: (running?.initialDetails ?? [:]).merging(details) { $1 }.merging(["reason": denied.message]) {
                    $1
                })
            throw denied
        }
    }

    public func authorize(
        _ permission: Permission, action: String? = nil, target: String? = nil, details: [String: String] = [:]
    ) async throws {
        try await authorize([permission], action: action, target: target, details: details)
    }
}

extension UseCase {
    func authorize(
        _ permissions: Permission..., action: String? = nil, target: String? = nil, details: [String: String] = [:]
    ) async throws {
        try await context.authorize(permissions, action: action, target: target, details: details)
    }

    func authorize(
        _ permissions: [Permission], action: String? = nil, target: String? = nil, details: [String: String] = [:]
    ) async throws {
        try await context.authorize(permissions, action: action, target: target, details: details)
    }

    func refuse(
        _ message: String, remedy: String, action: String? = nil, target: String? = nil
    ) async throws -> Never {
        try await context.refuse(message, remedy: remedy, action: action, target: target)
    }
}

extension EngineContext {
    /// Refuses, audited, by a rule of the operation's own (`Permission.refused`).
    func refuse(
        _ message: String, remedy: String, action: String? = nil, target: String? = nil
    ) async throws -> Never {
        try await authorize(.refused(message, remedy: remedy), action: action, target: target)
        throw InternalError("a refusal was granted: \(message)")
    }
}
