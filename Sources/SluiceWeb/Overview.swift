import Foundation
import SluiceCore

/// Reads for the overview pages, as the viewer may see them, without counting as a use of any environment
/// (looking at the UI must not keep an idle sandbox alive).
struct Overview: Sendable {
    let viewer: Viewer

    var workspace: Workspace { viewer.workspace }
    var now: Timestamp { viewer.now }

    /// The newest gate result of every dataset in every environment the viewer may read it in (only the failed
    /// ones when `failedOnly`).
    func latestChecks(failedOnly: Bool = false) async throws -> [CheckRun] {
        try await workspace.browse.latestChecks(failedOnly: failedOnly)
    }

    /// The newest `count` runs of each pipeline that the viewer may read, by pipeline, newest first.
    func recentRuns(perPipeline count: Int) async throws -> [String: [RunSummary]] {
        Dictionary(grouping: try await workspace.browse.recentRuns(perPipeline: count), by: \.pipeline)
    }

    /// Quarantined batches the viewer may read, newest first.
    func quarantines() async throws -> [QuarantineBatch] {
        try await workspace.browse.quarantines()
    }

    /// Environments the viewer may read, with their lifecycle facts.
    func environments() async throws -> [EnvironmentSummary] {
        try await workspace.listEnvironments().filter { viewer.mayRead($0.name) }
    }

    /// Runs of `filter` the viewer may read, newest first, at most `limit`.
    func runs(_ filter: RunFilter, limit: Int = 100) async throws -> [RunRecord] {
        try await workspace.runPage(filter, page: PageRequest(limit: limit)).items
    }

    /// Denials of the last `window` milliseconds; nil when the viewer may not read the audit log (it is shown to
    /// holders of `read:audit`, as everywhere).
    func denials(within window: Int64) async throws -> [AuditEvent]? {
        guard viewer.session != nil, viewer.visibility.mayReadAudit else { return nil }
        let since = Timestamp(milliseconds: now.milliseconds - window)
        return try await workspace.auditPage(
            AuditFilter(outcome: .denied, since: since), page: PageRequest(limit: PageRequest.maximumLimit)
        ).items
    }

    /// The head commit of an environment the viewer may read (nil when it holds nothing).
    func head(of environment: EnvironmentSummary) async throws -> Commit? {
        try await workspace.browse.heads(of: [environment.name])[environment.name]
    }
}
