import Foundation
import SluiceCore

/// The audit chain's state for the audit page: recomputing the whole chain reads every event, so it is kept
/// (`KeptResult`) and the page says when it was checked and how many events came since.
struct ChainWatch: Sendable {
    private let kept = KeptResult<(verification: AuditVerification, sequence: Int64)>()

    func state(_ viewer: Viewer) async throws -> ChainState {
        let head = try await viewer.workspace.browse.auditSequence()
        let workspace = viewer.workspace
        let (result, at) = try await kept.value(now: viewer.now) {
            let sequence = try await workspace.browse.auditSequence()
            return (try await workspace.verifyAudit(authority: false), sequence)
        }
        let newer = max(0, head - result.sequence)
        return ChainState(
            intact: result.verification.ok, events: Format.count(result.verification.events),
            checked: When(at, now: viewer.now), problem: result.verification.problem,
            newer: newer == 0 ? nil : Format.count(Int(newer)))
    }
}
