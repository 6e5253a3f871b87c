import Foundation
import OpenAPIRuntime
import SluiceAPIContract
import SluiceCore

extension RemoteEngine {
    public func lineage(
        _ reference: String, in environment: String?, directions: LineageDirections
    ) async throws
        -> LineageNode
    {
        let answer = try await lineage(reference, environment, directions, .tree)
        guard case .Lineage(let tree) = answer else { throw Self.unexpected("a lineage tree") }
        return tree
    }

    public func openLineageEvents(
        _ reference: String, in environment: String?, directions: LineageDirections
    )
        async throws -> [Data]
    {
        let answer = try await lineage(reference, environment, directions, .openlineage)
        guard case .OpenLineageEvents(let events) = answer else { throw Self.unexpected("OpenLineage events") }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try events.map { try encoder.encode($0) }
    }

    func lineage(
        _ reference: String, _ environment: String?, _ directions: LineageDirections,
        _ format: Operations.GetLineage.Input.Query.FormatPayload
    ) async throws -> Operations.GetLineage.Output.Ok.Body.JsonPayload {
        let direction: Operations.GetLineage.Input.Query.DirectionPayload =
            directions == .upstream ? .up : directions == .downstream ? .down : .both
        let query = Operations.GetLineage.Input.Query(direction: direction, format: format, environment: environment)
        return try await call { try await $0.getLineage(path: .init(dataset: reference), query: query).ok.body.json }
    }

    static func unexpected(_ what: String) -> RemoteError {
        RemoteError(code: .unavailable, message: "the service did not answer with \(what); are both the same version?")
    }

    public func quarantineBatches() async throws -> [QuarantineBatch] {
        try await all { try await $0.listQuarantinedBatches(query: .init(limit: $1, after: $2)).ok.body.json }
    }

    public func quarantineBatch(_ id: String) async throws -> QuarantineBatch {
        try await call { try await $0.getQuarantinedBatch(path: .init(id: id)).ok.body.json }
    }

    public func streamQuarantine(_ id: String, to sink: (Data) throws -> Void) async throws {
        let body = try await call { try await $0.getQuarantinedRows(path: .init(id: id)).ok.body.binary }
        try await drain(body, to: sink)
    }

    public func runPage(_ filter: RunFilter, page: PageRequest) async throws -> Page<RunRecord> {
        let query = Operations.ListRuns.Input.Query(
            pipeline: filter.pipeline, status: filter.status.flatMap { .init(rawValue: $0.rawValue) },
            environment: filter.environment, principal: filter.principal, since: filter.startedSince?.iso8601,
            limit: page.limit, after: page.after)
        return try await call { try await $0.listRuns(query: query).ok.body.json }
    }

    public func runRecord(_ id: String) async throws -> RunRecord {
        try await call { try await $0.getRun(path: .init(id: id)).ok.body.json }
    }

    public func attemptLogs(run id: String, step: String?) async throws -> [AttemptLog] {
        try await call { try await $0.getRunLogs(path: .init(id: id), query: .init(step: step)).ok.body.json }
    }

    /// The run's output as it comes, one `LogChunk` per NDJSON line, until the run ends.
    public func followLogs(run id: String, step: String?, emit: (LogChunk) async throws -> Void) async throws {
        let body = try await call {
            try await $0.getRunLogs(path: .init(id: id), query: .init(step: step, follow: true)).ok.body
                .applicationXNdjson
        }
        let decoder = JSONDecoder()
        var pending = Data()
        try await call { _ in
            for try await piece in body {
                pending.append(contentsOf: piece)
                while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                    let line = pending[pending.startIndex..<newline]
                    pending = Data(pending[(newline + 1)...])
                    try await emit(try decoder.decode(LogChunk.self, from: line))
                }
            }
        }
    }

    public func cancelRun(_ id: String) async throws -> Workspace.CancelOutcome {
        let answer = try await call { try await $0.cancelRun(path: .init(id: id)).ok.body.json }
        guard let outcome = answer.outcome.flatMap(Workspace.CancelOutcome.init(rawValue:)) else {
            throw Self.unexpected("how the cancellation went")
        }
        return outcome
    }

    /// Starts a run in the service; returns its id at once.
    public func startRun(
        _ pipeline: String, environment: String?, select: [String], resume: String?, maxParallel: Int?,
        useCache: Bool
    ) async throws -> String {
        let body = Operations.StartRun.Input.Body.JsonPayload(
            pipeline: pipeline, environment: environment, select: select, resume: resume, noCache: !useCache,
            maxParallel: maxParallel)
        return try await call { try await $0.startRun(body: .json(body)).accepted.body.json.id }
    }
}
