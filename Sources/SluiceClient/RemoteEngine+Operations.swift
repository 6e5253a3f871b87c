import Foundation
import OpenAPIRuntime
import SluiceAPIContract
import SluiceCore

extension RemoteEngine {
    public func project() async throws -> ProjectSummary { try await call { try await $0.getProject().ok.body.json } }
    public func status() async throws -> StatusReport { try await call { try await $0.getStatus().ok.body.json } }

    public func listEnvironments() async throws -> [EnvironmentSummary] {
        try await all { try await $0.listEnvironments(query: .init(limit: $1, after: $2)).ok.body.json }
    }

    public func createEnvironment(
        _ name: String, from source: String?, ttl: TimeSpan?
    ) async throws
        -> EnvironmentSummary
    {
        let body = Operations.CreateEnvironment.Input.Body.JsonPayload(name: name, from: source, ttl: ttl?.description)
        return try await call { try await $0.createEnvironment(body: .json(body)).created.body.json }
    }

    public func deleteEnvironment(_ name: String) async throws -> EnvironmentRecord {
        try await call { try await $0.deleteEnvironment(path: .init(name: name)).ok.body.json }
    }

    public func resetEnvironment(_ name: String, to other: String) async throws -> EnvironmentSummary {
        try await call {
            try await $0.resetEnvironment(path: .init(name: name), body: .json(.init(to: other))).ok.body.json
        }
    }

    public func log(of environment: String?, limit: Int) async throws -> [Commit] {
        var name = environment ?? ""
        if environment == nil { name = try await project().defaultEnvironment }
        return try await all(limit: limit) {
            try await $0.getEnvironmentLog(path: .init(name: name), query: .init(limit: $1, after: $2)).ok.body.json
        }
    }

    public func promote(from source: String, to target: String) async throws -> PromotionResult {
        try await call { try await $0.promote(body: .json(.init(from: source, to: target))).ok.body.json }
    }

    public func datasets(in environment: String?) async throws -> [DatasetEntry] {
        try await all {
            try await $0.listDatasets(query: .init(environment: environment, limit: $1, after: $2)).ok.body.json
        }
    }

    public func datasetDetails(_ name: String, in environment: String?) async throws -> DatasetDetails {
        try await call {
            try await $0.getDataset(path: .init(name: name), query: .init(environment: environment)).ok.body.json
        }
    }

    public func stream(_ reference: String, in environment: String?, to sink: (Data) throws -> Void) async throws {
        let body = try await call {
            try await $0.getDatasetData(path: .init(name: reference), query: .init(environment: environment)).ok.body
                .csv
        }
        try await drain(body, to: sink)
    }

    public func checkRuns(dataset: String?, environment: String?) async throws -> [CheckRun] {
        try await all {
            try await $0.listChecks(
                query: .init(dataset: dataset, environment: environment, limit: $1, after: $2)
            ).ok.body.json
        }
    }

    public func check(file: URL, against name: String, in environment: String?) async throws -> ValidationReport {
        let body = try Self.upload(file)
        return try await call {
            try await $0.checkFile(
                path: .init(name: name), query: .init(filename: file.lastPathComponent, environment: environment),
                body: .binary(body)
            ).ok.body.json
        }
    }

    public func ingest(source: String, environment: String?, upload: URL?) async throws -> IngestResult {
        let body = try upload.map { try Operations.Ingest.Input.Body.binary(Self.upload($0)) }
        return try await call {
            try await $0.ingest(
                path: .init(name: source), query: .init(filename: upload?.lastPathComponent, environment: environment),
                body: body
            ).created.body.json
        }
    }

    /// Re-derives a version in the service (no cache, nothing landed) and compares the bytes.
    public func reproduce(_ reference: String, in environment: String?) async throws -> ReproduceResult {
        try await call {
            try await $0.reproduce(body: .json(.init(reference: reference, environment: environment))).ok.body.json
        }
    }
}
