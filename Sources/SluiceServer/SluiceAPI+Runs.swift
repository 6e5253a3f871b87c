import Foundation
import Hummingbird
import Logging
import SluiceCore
import SluiceRunner
import SluiceWeb

extension SluiceAPI {
    /// Runs: the paged list, one run, its logs, cancelling it.
    func addRunRoutes(_ v1: RouterGroup<SluiceRequestContext>) {
        v1.get("runs") { request, _ in
            await handle(request) { workspace in
                let query = request.uri.queryParameters
                var filter = RunFilter(
                    pipeline: query.get("pipeline"), environment: query.get("environment"),
                    principal: query.get("principal"))
                if let since = query.get("since") {
                    guard let time = Timestamp(iso8601: since) else {
                        throw BadField(field: "since", message: "since must be a UTC time such as 2026-11-28T00:00:00Z")
                    }
                    filter.startedSince = time
                }
                if let status = request.uri.queryParameters.get("status") {
                    guard let parsed = RunStatus(rawValue: status) else {
                        throw BadField(
                            field: "status",
                            message: "status must be running, abandoned, succeeded, failed or cancelled")
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
                let id = context.parameters.get("id") ?? ""
                let step = request.uri.queryParameters.get("step")
                if let follow = request.uri.queryParameters.get("follow"), follow != "false" {
                    guard follow == "true" else {
                        throw BadField(field: "follow", message: "follow must be true or false")
                    }
                    return try await Self.follow(run: id, step: step, workspace: workspace)
                }
                return try APIResponse.json(
                    try await workspace.attemptLogs(
                        run: context.parameters.get("id") ?? "", step: request.uri.queryParameters.get("step")))
            }
        }
        v1.post("reproduce") { request, _ in
            await handle(request) { workspace in
                let body = try await Self.decode(ReproduceRequest.self, from: request)
                let runner = PipelineRunner(workspace: workspace, inProcess: context.runs)
                return try APIResponse.json(
                    try await Reproducer(runner: runner).reproduce(body.reference, in: body.environment))
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
    /// The run's output as its steps print it, one JSON `LogChunk` per line (NDJSON), until the run ends. A
    /// run or step that does not exist, or may not be read, is refused before the stream starts.
    static func follow(run id: String, step: String?, workspace: Workspace) async throws -> Response {
        try await workspace.requireLogs(run: id, step: step)
        let body = ResponseBody { writer in
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            try await workspace.followLogs(run: id, step: step) { chunk in
                try await writer.write(ByteBuffer(bytes: Array(try encoder.encode(chunk) + Data("\n".utf8))))
            }
            try await writer.finish(nil)
        }
        return Response(status: .ok, headers: [.contentType: "application/x-ndjson"], body: body)
    }

    struct ReproduceRequest: Decodable {
        var reference: String
        var environment: String?
    }

    struct StartRun: Decodable {
        var pipeline: String
        var environment: String?
        var select: [String]?
        var resume: String?
        var noCache: Bool?
        var maxParallel: Int?

        enum CodingKeys: String, CodingKey {
            case pipeline, environment, select, resume
            case noCache = "no_cache"
            case maxParallel = "max_parallel"
        }
    }

    /// Begins the run (`RunService.begin`: every check before anything is created, the record saved), then
    /// executes it in the service's launcher and returns its id at once.
    func start(_ body: StartRun, workspace: Workspace) async throws -> String {
        if let parallel = body.maxParallel, parallel < 1 {
            throw BadField(field: "max_parallel", message: "max_parallel must be at least 1")
        }
        let options = RunOptions(
            environment: body.environment ?? workspace.project.defaultEnvironment, select: body.select ?? [],
            resume: body.resume, maxParallel: body.maxParallel ?? ProcessInfo.processInfo.activeProcessorCount,
            useCache: body.noCache != true)
        let runner = PipelineRunner(workspace: workspace, inProcess: context.runs)
        let (quota, principal, launcher, logger) = (
            context.runQuota, workspace.identity.name, context.launcher, context.logger
        )
        try launcher.admit("a run")
        try quota.reserve(for: principal)
        let session: RunSession
        do {
            session = try await runner.begin(body.pipeline, options: options)
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
