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

    /// Whether the viewer may read something in `environment` (the whole of it, or one of its zones).
    func mayRead(_ environment: String) -> Bool {
        project.zones.contains { mayRead(environment, zone: $0.name) } || mayRead(environment, zone: nil)
    }

    func mayRead(_ environment: String, zone: String?) -> Bool {
        (try? workspace.policy.require(.read, on: environment, zone: zone, by: identity)) != nil
    }

    func mayRead(_ dataset: DatasetName, in environment: String) -> Bool {
        (try? workspace.policy.requireRead(dataset, in: environment, by: identity)) != nil
    }

    func may(_ action: Action, on environment: String) -> Bool {
        (try? workspace.policy.require(action, on: environment, by: identity)) != nil
    }

    /// Environments this viewer may read, in name order.
    func readableEnvironments() async throws -> [EnvironmentRecord] {
        try await workspace.metadata.environments().filter { mayRead($0.name) }.sorted { $0.name < $1.name }
    }
}
