import Foundation
import OpenAPIRuntime
import SluiceAPIContract
import SluiceCore

extension APIHandler {
    /// Quarantine, and the two operations that take a file: ingesting it and checking it against a contract.
    func listQuarantinedBatches(
        _ input: Operations.ListQuarantinedBatches.Input
    ) async throws -> Operations.ListQuarantinedBatches.Output {
        let batches = try await workspace.quarantineBatches()
        return .ok(.init(body: .json(try Self.paged(batches, limit: input.query.limit, after: input.query.after))))
    }

    func getQuarantinedBatch(
        _ input: Operations.GetQuarantinedBatch.Input
    ) async throws -> Operations.GetQuarantinedBatch.Output {
        .ok(.init(body: .json(try await workspace.quarantineBatch(input.path.id))))
    }

    func getQuarantinedRows(
        _ input: Operations.GetQuarantinedRows.Input
    ) async throws -> Operations.GetQuarantinedRows.Output {
        let workspace = try workspace
        let body = try await SpooledDownload.body { sink in
            try await workspace.streamQuarantine(input.path.id, to: sink)
        }
        return .ok(.init(body: .binary(body)))
    }

    /// Ingests the request's body as one file named `filename` (none: the source's landing path on the
    /// service's host), through the same gate as the command line. Access is decided before the body is read.
    func ingest(_ input: Operations.Ingest.Input) async throws -> Operations.Ingest.Output {
        let (workspace, source, environment) = (try workspace, input.path.name, input.query.environment)
        guard let name = input.query.filename else {
            let result = try await workspace.ingest(source: source, environment: environment, upload: nil)
            return .created(.init(body: .json(result)))
        }
        try await workspace.authorizeIngest(source: source, environment: environment)
        let result = try await context.uploads.spooled(input.body?.bytes, named: name, by: workspace.identity.name) {
            upload in
            try await workspace.ingest(source: source, environment: environment, upload: upload)
        }
        return .created(.init(body: .json(result)))
    }

    /// Checks the request's body, as one file named `filename`, against a dataset's contract; changes nothing.
    /// Access is decided before the body is read.
    func checkFile(_ input: Operations.CheckFile.Input) async throws -> Operations.CheckFile.Output {
        let (workspace, dataset, environment) = (try workspace, input.path.name, input.query.environment)
        try await workspace.authorizeCheck(against: dataset, in: environment)
        let name = input.query.filename ?? "upload.csv"
        let report = try await context.uploads.spooled(input.body?.bytes, named: name, by: workspace.identity.name) {
            upload in
            try await workspace.check(file: upload, against: dataset, in: environment)
        }
        return .ok(.init(body: .json(report)))
    }
}

extension Operations.Ingest.Input.Body {
    var bytes: HTTPBody {
        switch self {
        case .binary(let body), .any(let body): body
        }
    }
}

extension Operations.CheckFile.Input.Body {
    var bytes: HTTPBody {
        switch self {
        case .binary(let body), .any(let body): body
        }
    }
}
