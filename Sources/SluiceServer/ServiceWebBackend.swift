import Foundation
import SluiceCore
import SluiceWeb

/// The web UI's view of the service: workspaces for tokens (or anonymous visitors), and runs cancelled and
/// resumed inside the service, as the API does it.
struct ServiceWebBackend: WebBackend {
    let context: ServerContext

    func workspace(token: String?) async throws -> Workspace {
        guard let token else { return try await context.anonymousWorkspace(countingDenials: true) }
        return try await context.workspace(token: token)
    }

    func cancelRun(_ id: String, by workspace: Workspace) async throws -> Workspace.CancelOutcome {
        let principal = workspace.identity.name
        return try await workspace.cancelRun(id) { [runs = context.runs] in
            runs.interrupt($0, because: "\(principal) asked in the web UI")
        }
    }

    func resumeRun(_ id: String, by workspace: Workspace) async throws -> String {
        let run = try await workspace.runRecord(id)
        guard run.status == .failed || run.status == .cancelled else {
            throw UsageError(
                "run \(id) \(run.status == .running ? "is still running" : "succeeded"); only a failed or cancelled run resumes"
            )
        }
        let options = RunOptions(
            environment: run.environment, select: [], resume: id,
            maxParallel: ProcessInfo.processInfo.activeProcessorCount, useCache: true)
        return try await RunStarter(context: context).start(run.pipeline, options: options, workspace: workspace)
    }
}
