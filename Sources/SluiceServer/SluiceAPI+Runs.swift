import Foundation
import Hummingbird
import SluiceCore
import SluiceRunner

extension SluiceAPI {
    /// Runs: the paged list, one run, its logs, cancelling it.
    func addRunRoutes(_ v1: RouterGroup<BasicRequestContext>) {
        v1.get("runs") { request, _ in
            await handle(request) { workspace in
                var filter = RunFilter(pipeline: request.uri.queryParameters.get("pipeline"))
                if let status = request.uri.queryParameters.get("status") {
                    guard let parsed = RunStatus(rawValue: status) else {
                        throw BadField(
                            field: "status", message: "status must be running, succeeded, failed or cancelled")
                    }
                    filter.status = parsed
                }
                return try APIResponse.json(try await workspace.runPage(filter, page: try Self.page(request)))
            }
        }
        v1.get("runs/:id") { request, context in
            await handle(request) { workspace in
                try APIResponse.json(try await workspace.runRecord(context.parameters.get("id") ?? ""))
            }
        }
        v1.get("runs/:id/logs") { request, context in
            await handle(request) { workspace in
                try APIResponse.json(
                    try await workspace.attemptLogs(
                        run: context.parameters.get("id") ?? "", step: request.uri.queryParameters.get("step")))
            }
        }
        v1.post("runs/:id/cancel") { request, context in
            await handle(request) { workspace in
                let principal = workspace.identity.name
                let outcome = try await workspace.cancelRun(context.parameters.get("id") ?? "") {
                    [runs = self.context.runs] in
                    runs.interrupt($0, because: "\(principal) asked through the API")
                }
                return try APIResponse.json(["outcome": outcome.rawValue])
            }
        }
        v1.post("runs") { request, _ in
            await handle(request) { workspace in
                let body = try await Self.decode(StartRun.self, from: request)
                let id = try await start(body, workspace: workspace)
                var response = try APIResponse.json(["id": id, "status": "running"], status: .accepted)
                response.headers[.location] = "/api/v1/runs/\(id)"
                return response
            }
        }
    }
}

extension SluiceAPI {
    struct StartRun: Decodable {
        var pipeline: String
        var environment: String?
        var select: [String]?
        var resume: String?
        var noCache: Bool?

        enum CodingKeys: String, CodingKey {
            case pipeline, environment, select, resume
            case noCache = "no_cache"
        }
    }

    /// Checks what can be checked before anything starts (the pipeline, the environment, the caller's
    /// grants), then starts the run in the service's launcher and returns its id at once.
    func start(_ body: StartRun, workspace: Workspace) async throws -> String {
        guard let pipeline = workspace.project.pipelines[body.pipeline] else {
            throw UsageError.notFound(
                "no pipeline \(NameRules.quoted(body.pipeline)) in the project",
                hint: "pipelines: \(workspace.project.pipelines.keys.sorted().joined(separator: ", "))")
        }
        let environment = try workspace.validEnvironmentName(body.environment ?? workspace.project.defaultEnvironment)
        if workspace.policy.isProtected(environment) {
            try workspace.policy.require(.promote, on: environment, by: workspace.identity)
        } else {
            try await workspace.requireRun(pipeline, environment: environment)
        }
        var options = RunOptions(
            environment: environment, select: body.select ?? [], resume: body.resume, useCache: body.noCache != true)
        let id = PipelineRunner.newRunID(now: workspace.now())
        options.runID = id
        let runner = PipelineRunner(workspace: workspace, inProcess: context.runs)
        let logger = context.logger
        context.launcher.submit { [options] in
            do {
                _ = try await runner.run(pipeline.name, options: options)
            } catch {
                logger.warning("run \(id) of \(pipeline.name) ended: \(error)", metadata: ["run.id": "\(id)"])
            }
        }
        return id
    }
}
