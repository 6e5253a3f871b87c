import Foundation
import SluiceCore
import SluiceRunner

/// Starts a run inside the service, for the API and the web UI's resume: begins it (`RunService.begin`: every
/// check before anything is created, the record saved), then executes it in the service's launcher within the
/// principal's quota, and returns its id at once.
struct RunStarter {
    let context: ServerContext

    func start(_ pipeline: String, options: RunOptions, workspace: Workspace) async throws -> String {
        let runner = PipelineRunner(workspace: workspace, inProcess: context.runs)
        let (quota, principal, launcher, logger) = (
            context.runQuota, workspace.identity.name, context.launcher, context.logger
        )
        try launcher.admit("a run")
        try quota.reserve(for: principal)
        let session: RunSession
        do {
            session = try await runner.begin(pipeline, options: options)
        } catch {
            quota.release(for: principal)
            throw error
        }
        do {
            try launcher.submit {
                defer { quota.release(for: principal) }
                do {
                    _ = try await runner.execute(session)
                } catch {
                    // With the run's trace, so the line joins the run's own lines in ELK.
                    logger.warning(
                        "run \(session.runID) of \(session.pipeline.name) ended: \(error)",
                        metadata: [
                            "run.id": "\(session.runID)", "event.action": "run-ended",
                            "trace.id": "\(session.started.traceID)",
                        ])
                }
            }
        } catch {
            quota.release(for: principal)
            try? await runner.abandon(session, because: error)
            throw error
        }
        return session.runID
    }
}
