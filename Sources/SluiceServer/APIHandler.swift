import Foundation
import OpenAPIRuntime
import SluiceAPIContract
import SluiceCore

/// The HTTP API's operations, as openapi.yaml declares them (`APIProtocol` is generated from it): each is the
/// engine call the command line makes, as the request's principal (`RequestPrincipal`). Errors are thrown and
/// become their status and problem body in `ProblemMiddleware`.
struct APIHandler: APIProtocol {
    let context: ServerContext

    var workspace: Workspace {
        get throws { try RequestPrincipal.current() }
    }

    /// `limit` (1–1000, default 100) and `after` (the `next` of the previous page).
    static func page(limit: Int?, after: String?) throws -> PageRequest {
        if let limit, !(1...PageRequest.maximumLimit).contains(limit) {
            throw BadField(
                field: "limit", message: "limit must be a whole number from 1 to \(PageRequest.maximumLimit)")
        }
        let page = PageRequest(limit: limit ?? 100, after: after)
        do {
            _ = try page.position()
        } catch {
            throw BadField(field: "after", message: "after must be the next value of a page")
        }
        return page
    }

    /// A list the engine returns whole, served a page at a time like the others: the cursor counts down from
    /// the list's length, so `after` works as everywhere (a list that changes between pages may shift).
    static func paged<Item: Sendable>(_ items: [Item], limit: Int?, after: String?) throws -> Page<Item> {
        let page = try page(limit: limit, after: after)
        let before = try page.position() ?? .max
        let numbered = items.enumerated().map { (sequence: Int64(items.count - $0.offset), item: $0.element) }
        let candidates = numbered.filter { $0.sequence < before }.prefix(page.limit + 1)
        return Page.of(Array(candidates), limit: page.limit)
    }

    /// A duration such as `30m`, `1h` or `2d`.
    static func span(_ text: String?, field: String) throws -> TimeSpan? {
        guard let text else { return nil }
        guard let span = TimeSpan(text) else {
            throw BadField(field: field, message: "\(field) must be a duration such as 30m, 1h or 2d")
        }
        return span
    }

    // MARK: Health and the document

    func getHealth(_ input: Operations.GetHealth.Input) async throws -> Operations.GetHealth.Output {
        .ok(.init(body: .json(.init(status: "alive"))))
    }

    func getOpenAPIDocument(
        _ input: Operations.GetOpenAPIDocument.Input
    ) async throws -> Operations.GetOpenAPIDocument.Output {
        .ok(.init(body: .json(try OpenAPIDocument.container())))
    }

    /// 200 when the metadata answers and the project's files are still valid; 503 naming what is not.
    func getReadiness(_ input: Operations.GetReadiness.Input) async throws -> Operations.GetReadiness.Output {
        var problems: [String] = []
        do {
            try await context.anonymousWorkspace().probeStore()
        } catch {
            problems.append("the metadata store does not answer: \(error)")
        }
        let project = context.project
        if project.committed == nil {
            // Read from the work tree (no git): it must still be valid.
            do {
                _ = try ProjectLoader(files: context.files).loadValidated(root: project.root)
            } catch {
                problems.append("the project is not valid: \(error)")
            }
        }
        // Which commit is in force, and why a later one is not (the service goes on with the one in force).
        let answer = Components.Schemas.Readiness(
            status: problems.isEmpty ? .ready : .notReady, problems: problems.joined(separator: "; "),
            commit: project.committed ?? "work tree", refused: project.refusal)
        return problems.isEmpty ? .ok(.init(body: .json(answer))) : .serviceUnavailable(.init(body: .json(answer)))
    }
}
