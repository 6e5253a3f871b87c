import Foundation
import OpenAPIRuntime
import SluiceAPIContract
import SluiceCore
import SluiceRunner

extension APIHandler {
    /// Runs: the paged list, one run, its logs, starting, cancelling and reproducing.
    func listRuns(_ input: Operations.ListRuns.Input) async throws -> Operations.ListRuns.Output {
        let query = input.query
        var filter = RunFilter(pipeline: query.pipeline, environment: query.environment, principal: query.principal)
        if let since = query.since {
            guard let time = Timestamp(iso8601: since) else {
                throw BadField(field: "since", message: "since must be a UTC time such as 2026-11-28T00:00:00Z")
            }
            filter.startedSince = time
        }
        filter.status = query.status.flatMap { RunStatus(rawValue: $0.rawValue) }
        let page = try Self.page(limit: query.limit, after: query.after)
        return .ok(.init(body: .json(try await workspace.runPage(filter, page: page))))
    }

    func getRun(_ input: Operations.GetRun.Input) async throws -> Operations.GetRun.Output {
        .ok(.init(body: .json(try await workspace.runRecord(input.path.id))))
    }

    /// The attempts' logs; with `follow`, the run's output as its steps print it, one JSON `LogChunk` per line
    /// (NDJSON), until the run ends. A run or step that does not exist, or may not be read, is refused before
    /// the stream starts.
    func getRunLogs(_ input: Operations.GetRunLogs.Input) async throws -> Operations.GetRunLogs.Output {
        let (workspace, id, step) = (try workspace, input.path.id, input.query.step)
        guard input.query.follow == true else {
            return .ok(.init(body: .json(try await workspace.attemptLogs(run: id, step: step))))
        }
        try await workspace.requireLogs(run: id, step: step)
        let lines = FollowedLines { send in
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            try await workspace.followLogs(run: id, step: step) { chunk in
                await send(try encoder.encode(chunk) + Data("\n".utf8))
            }
        }
        return .ok(.init(body: .applicationXNdjson(lines.body)))
    }

    func cancelRun(_ input: Operations.CancelRun.Input) async throws -> Operations.CancelRun.Output {
        let workspace = try workspace
        let principal = workspace.identity.name
        let outcome = try await workspace.cancelRun(input.path.id) { [runs = context.runs] in
            runs.interrupt($0, because: "\(principal) asked through the API")
        }
        return .ok(.init(body: .json(.init(outcome: outcome.rawValue))))
    }

    func reproduce(_ input: Operations.Reproduce.Input) async throws -> Operations.Reproduce.Output {
        switch input.body {
        case .json(let body):
            let runner = PipelineRunner(workspace: try workspace, inProcess: context.runs)
            let result = try await Reproducer(runner: runner).reproduce(body.reference, in: body.environment)
            return .ok(.init(body: .json(result)))
        }
    }

    func startRun(_ input: Operations.StartRun.Input) async throws -> Operations.StartRun.Output {
        switch input.body {
        case .json(let body):
            if let parallel = body.maxParallel, parallel < 1 {
                throw BadField(field: "max_parallel", message: "max_parallel must be at least 1")
            }
            let workspace = try workspace
            let options = RunOptions(
                environment: body.environment ?? workspace.project.defaultEnvironment, select: body.select ?? [],
                resume: body.resume, maxParallel: body.maxParallel ?? ProcessInfo.processInfo.activeProcessorCount,
                useCache: body.noCache != true)
            let id = try await RunStarter(context: context).start(body.pipeline, options: options, workspace: workspace)
            return .accepted(
                .init(headers: .init(location: "/api/v1/runs/\(id)"), body: .json(.init(id: id, status: .running))))
        }
    }
}
