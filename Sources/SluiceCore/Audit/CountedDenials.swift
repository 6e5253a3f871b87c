import Foundation

/// How the refusals of one request by a caller without credentials are audited on a network service: counted
/// into the service's per-client, per-minute windows (one audit event per client and minute, with the count),
/// never one event per request — so that nobody can flood the audit log without a token. At most one refusal
/// is counted per request, however many places refuse it.
public final class CountedDenials: @unchecked Sendable {
    private let lock = NSLock()
    private var counted = false
    private let sink: @Sendable (AuditDraft) -> Void

    /// `sink` counts a refusal (the service's window for the request's client).
    public init(sink: @escaping @Sendable (AuditDraft) -> Void) { self.sink = sink }

    /// Counts `draft` unless this request's refusal was counted already.
    func count(_ draft: AuditDraft) {
        let first = lock.withLock { () -> Bool in
            defer { counted = true }
            return !counted
        }
        if first { sink(draft) }
    }
}
