import Foundation
import SluiceCore

/// Who is looking at a page: the workspace acting as them (or as an anonymous reader), and their session.
/// Lists are filtered here by what the principal may read, without auditing each hidden item as a refusal.
struct Viewer: Sendable {
    let workspace: Workspace
    let session: WebSessions.Session?
    let now: Timestamp
    /// Said at the top of the page (a session that just ended).
    var notice: String? = nil

    var identity: Identity { workspace.identity }
    var project: Project { workspace.project }

    /// What the viewer may see: the engine's one rule (`Visibility`).
    var visibility: Visibility { workspace.visibility }

    /// Whether the viewer may read something in `environment` (the whole of it, or one of its zones).
    func mayRead(_ environment: String) -> Bool { visibility.mayRead(environment) }

    func mayRead(_ dataset: DatasetName, in environment: String) -> Bool {
        visibility.mayRead(dataset, in: environment)
    }

    func may(_ action: Action, on environment: String) -> Bool { visibility.may(action, on: environment) }

    /// Environments this viewer may read, in name order.
    func readableEnvironments() async throws -> [EnvironmentRecord] {
        try await workspace.browse.readableEnvironments()
    }
}
