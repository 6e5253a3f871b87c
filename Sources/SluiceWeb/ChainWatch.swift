import Foundation
import SluiceCore

/// The audit chain's state for the audit page. Recomputing the whole chain reads every event, so a result is
/// kept for a minute and shared by every viewer; the page says when it was checked and how many events came
/// since.
actor ChainWatch {
    private var last: (verification: AuditVerification, at: Timestamp, sequence: Int64)?
    let maximumAge: Int64

    init(maximumAge: Int64 = 60_000) { self.maximumAge = maximumAge }

    func state(_ viewer: Viewer) async throws -> ChainState {
        let now = viewer.now
        let head = try await viewer.workspace.metadata.auditHead()?.sequence ?? 0
        if last == nil || now.milliseconds - last!.at.milliseconds > maximumAge {
            let verification = try await viewer.workspace.verifyAudit(authority: false)
            last = (verification, now, head)
        }
        let (verification, at, sequence) = last!
        let newer = max(0, head - sequence)
        return ChainState(
            intact: verification.ok, events: Format.count(verification.events), checked: When(at, now: now),
            problem: verification.problem, newer: newer == 0 ? nil : Format.count(Int(newer)))
    }
}
