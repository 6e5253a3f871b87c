import Foundation
import OpenAPIRuntime
import SluiceAPIContract
import SluiceCore

extension APIHandler {
    /// Environments, datasets, checks, lineage and promotion.
    func listEnvironments(_ input: Operations.ListEnvironments.Input) async throws -> Operations.ListEnvironments.Output
    {
        let environments = try await workspace.listEnvironments()
        return .ok(.init(body: .json(try Self.paged(environments, limit: input.query.limit, after: input.query.after))))
    }

    func getEnvironmentLog(
        _ input: Operations.GetEnvironmentLog.Input
    ) async throws -> Operations.GetEnvironmentLog.Output {
        let page = try Self.page(limit: input.query.limit, after: input.query.after)
        return .ok(.init(body: .json(try await workspace.logPage(of: input.path.name, page: page))))
    }

    func createEnvironment(
        _ input: Operations.CreateEnvironment.Input
    ) async throws -> Operations.CreateEnvironment.Output {
        switch input.body {
        case .json(let body):
            let workspace = try workspace
            let ttl = try Self.span(body.ttl, field: "ttl")
            let created = try await workspace.createEnvironment(
                body.name, from: body.from ?? workspace.project.defaultEnvironment, ttl: ttl)
            return .created(.init(body: .json(created)))
        }
    }

    func deleteEnvironment(
        _ input: Operations.DeleteEnvironment.Input
    ) async throws -> Operations.DeleteEnvironment.Output {
        .ok(.init(body: .json(try await workspace.deleteEnvironment(input.path.name))))
    }

    func resetEnvironment(_ input: Operations.ResetEnvironment.Input) async throws -> Operations.ResetEnvironment.Output
    {
        switch input.body {
        case .json(let body):
            return .ok(.init(body: .json(try await workspace.resetEnvironment(input.path.name, to: body.to))))
        }
    }

    func listDatasets(_ input: Operations.ListDatasets.Input) async throws -> Operations.ListDatasets.Output {
        let datasets = try await workspace.datasets(in: input.query.environment)
        return .ok(.init(body: .json(try Self.paged(datasets, limit: input.query.limit, after: input.query.after))))
    }

    func getDataset(_ input: Operations.GetDataset.Input) async throws -> Operations.GetDataset.Output {
        .ok(.init(body: .json(try await workspace.datasetDetails(input.path.name, in: input.query.environment))))
    }

    /// A version's data as `cat` gives it (PII masked for whoever may not see it); access errors come first.
    func getDatasetData(_ input: Operations.GetDatasetData.Input) async throws -> Operations.GetDatasetData.Output {
        let workspace = try workspace
        let body = try await SpooledDownload.body { sink in
            try await workspace.stream(input.path.name, in: input.query.environment, to: sink)
        }
        return .ok(.init(body: .csv(body)))
    }

    func listDatasetChecks(
        _ input: Operations.ListDatasetChecks.Input
    ) async throws -> Operations.ListDatasetChecks.Output {
        let page = try Self.page(limit: input.query.limit, after: input.query.after)
        let checks = try await workspace.checkRunPage(
            dataset: input.path.name, environment: input.query.environment, page: page)
        return .ok(.init(body: .json(checks)))
    }

    func listChecks(_ input: Operations.ListChecks.Input) async throws -> Operations.ListChecks.Output {
        let page = try Self.page(limit: input.query.limit, after: input.query.after)
        let checks = try await workspace.checkRunPage(
            dataset: input.query.dataset, environment: input.query.environment, page: page)
        return .ok(.init(body: .json(checks)))
    }

    func getLineage(_ input: Operations.GetLineage.Input) async throws -> Operations.GetLineage.Output {
        let (workspace, query, dataset) = (try workspace, input.query, input.path.dataset)
        let directions: LineageDirections =
            switch query.direction ?? .both {
            case .up: .upstream
            case .down: .downstream
            case .both: [.upstream, .downstream]
            }
        switch query.format ?? .tree {
        case .tree:
            let tree = try await workspace.lineage(dataset, in: query.environment, directions: directions)
            return .ok(.init(body: .json(.Lineage(tree))))
        case .openlineage:
            let events = try await workspace.openLineageEvents(dataset, in: query.environment, directions: directions)
            let decoder = JSONDecoder()
            let payloads = try events.map {
                try decoder.decode(Components.Schemas.OpenLineageEventsPayload.self, from: $0)
            }
            return .ok(.init(body: .json(.OpenLineageEvents(payloads))))
        }
    }

    func promote(_ input: Operations.Promote.Input) async throws -> Operations.Promote.Output {
        switch input.body {
        case .json(let body): return .ok(.init(body: .json(try await workspace.promote(from: body.from, to: body.to))))
        }
    }
}
