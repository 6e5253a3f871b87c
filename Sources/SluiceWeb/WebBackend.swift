import SluiceCore

/// What the web UI needs from the service that serves it: a workspace acting as a principal (or as an
/// anonymous reader), and the two run actions that the service itself owns.
public protocol WebBackend: Sendable {
    /// A workspace acting as the owner of `token`, or as an anonymous reader when `token` is nil. An unknown or
    /// revoked token is refused (and audited) by the backend.
    func workspace(token: String?) async throws -> Workspace

    /// Cancels a run as `workspace`'s principal (a run inside the service is interrupted there).
    func cancelRun(_ id: String, by workspace: Workspace) async throws -> Workspace.CancelOutcome

    /// Starts a run that resumes the failed or cancelled run `id` (same pipeline and environment); returns the
    /// new run's id.
    func resumeRun(_ id: String, by workspace: Workspace) async throws -> String
}
