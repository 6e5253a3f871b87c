/// What the audit chain says about every record that grants, vouches or deletes, folded from its events
/// in order: where each environment's last audited change put it (and which were deleted since), which
/// tokens were created for whom and revoked, which gate results were judged, how each run ended (and which
/// run records retention removed), and which versions a collection let go. Verification compares the
/// tables with it.
struct AuthorityLedger {
    /// Environment name → head hex (or `empty`), for environments whose last audited change kept them.
    var heads: [String: String] = [:]
    /// Environment name → the lifecycle its creation asked for (`--ttl`), for those created with one.
    var ttls: [String: String] = [:]
    /// Environments an audited change deleted, and none re-created since.
    var deletedEnvironments = Set<String>()
    /// Token id → the principal it was created for.
    var created: [String: String] = [:]
    var revoked = Set<String>()
    /// Gate result id → the `gate.judge` events naming it.
    var judged: [String: [AuditEvent]] = [:]
    /// Run id → the digest its `run.finish` event sealed.
    var finished: [String: String] = [:]
    /// Run records retention removed.
    var expiredRuns = Set<String>()
    /// Quarantined batches retention removed.
    var expiredQuarantines = Set<String>()
    /// Versions an audited collection let go (hex).
    var retired = Set<String>()

    /// The actions that delete an environment, each naming it as the target.
    static let environmentDeletions: Set<String> = ["env.delete", "gc.expire", "run.unstage"]

    init(_ events: [AuditEvent]) {
        for event in events { fold(event) }
    }

    private mutating func fold(_ event: AuditEvent) {
        let draft = event.draft
        if draft.action == CheckRun.auditAction { judged[draft.target, default: []].append(event) }
        // A run's end is sealed whatever its outcome.
        if draft.action == "run.finish" { finished[draft.target] = draft.details["digest"] }
        guard draft.outcome == .succeeded else { return }
        if let ref = draft.details["ref"], let head = draft.details["head"] {
            heads[ref] = head
            deletedEnvironments.remove(ref)
        }
        if Self.environmentDeletions.contains(draft.action) {
            heads[draft.target] = nil
            ttls[draft.target] = nil
            deletedEnvironments.insert(draft.target)
        }
        switch draft.action {
        case "env.create": ttls[draft.target] = draft.details["ttl"]
        case "token.create": if let token = draft.details["token"] { created[token] = draft.target }
        case "token.revoke": revoked.insert(draft.target)
        case "gc.expire-run": expiredRuns.insert(draft.target)
        case "gc.expire-quarantine": expiredQuarantines.insert(draft.target)
        case "gc.retire": if let version = CollectorService.retiredVersion(event) { retired.insert(version) }
        default: break
        }
    }
}
