import Foundation

/// The success event of an audited operation, written by the store in the same transaction as the ref
/// change it describes, so that a process killed in between leaves neither without the other. `audited`
/// opens one per operation; the ref change fills it in and marks it written.
final class InlineAudit: @unchecked Sendable {
    @TaskLocal static var current: InlineAudit?

    let action: String
    let target: String
    private let lock = NSLock()
    /// The details the operation opened with (a refusal's event carries them too).
    let initialDetails: [String: String]
    private var details: [String: String]
    private var written = false

    init(action: String, target: String, details: [String: String]) {
        self.action = action
        self.target = target
        self.details = details
        initialDetails = details
    }

    var isWritten: Bool { lock.withLock { written } }

    /// The success event with `more` details, to append with the change; marks it written.
    func take(_ more: [String: String], identity: Identity, time: Timestamp) -> AuditDraft {
        lock.withLock {
            written = true
            return AuditDraft(
                time: time, principal: identity.name, authentication: identity.authentication, action: action,
                target: target, outcome: .succeeded, details: details.merging(more) { $1 })
        }
    }
}
