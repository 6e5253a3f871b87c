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
        if let parallel = body.maxParallel, parallel < 1 {
            throw BadField(field: "max_parallel", message: "max_parallel must be at least 1")
        }
        var options = RunOptions(
            environment: environment, select: body.select ?? [], resume: body.resume,
            maxParallel: body.maxParallel ?? ProcessInfo.processInfo.activeProcessorCount,
            useCache: body.noCache != true)
        let id = PipelineRunner.newRunID(now: workspace.now())
        options.runID = id
        // Answered once the run is recorded (so that GET /runs/{id} finds it), or with the error that kept it
        // from starting.
        let recorded = FirstOutcome()
        let runner = PipelineRunner(
            workspace: workspace, onChange: { _ in recorded.settle(nil) }, inProcess: context.runs)
        let logger = context.logger
        let (quota, principal) = (context.runQuota, workspace.identity.name)
        try quota.reserve(for: principal)
        do {
            try context.launcher.submit { [options] in
                defer { quota.release(for: principal) }
                do {
                    _ = try await runner.run(pipeline.name, options: options)
                } catch {
                    recorded.settle(error)
                    // With the run's trace, so the line joins the run's own lines in ELK.
                    var metadata: Logger.Metadata = ["run.id": "\(id)", "event.action": "run-ended"]
                    if let ended = error as? any RunEndedBadly { metadata["trace.id"] = "\(ended.run.traceID)" }
                    logger.warning("run \(id) of \(pipeline.name) ended: \(error)", metadata: metadata)
                }
                recorded.settle(nil)
            }
        } catch {
            quota.release(for: principal)
            throw error
        }
        try await recorded.wait()
        return id
    }
}

/// The first of several outcomes, awaited once: success, or the error that came first.
final class FirstOutcome: @unchecked Sendable {
    private let lock = NSLock()
    private var outcome: Result<Void, any Error>?
    private var waiter: CheckedContinuation<Void, any Error>?

    func settle(_ error: (any Error)?) {
        let resumed: CheckedContinuation<Void, any Error>? = lock.withLock {
            guard outcome == nil else { return nil }
            outcome = error.map { .failure($0) } ?? .success(())
            defer { waiter = nil }
            return waiter
        }
        if let resumed, let outcome = lock.withLock({ outcome }) { resumed.resume(with: outcome) }
    }

    func wait() async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let settled: Result<Void, any Error>? = lock.withLock {
                if outcome == nil { waiter = continuation }
                return outcome
            }
            if let settled { continuation.resume(with: settled) }
        }
    }
}
