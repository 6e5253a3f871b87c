import Foundation
import HTTPTypes
import Logging
import OpenAPIRuntime
import SluiceCore

/// The workspace of the principal a request acts as, set by `PrincipalMiddleware` for the operation's handler.
enum RequestPrincipal {
    @TaskLocal static var workspace: Workspace?

    /// The request's workspace; every operation that needs one runs under `PrincipalMiddleware`.
    static func current() throws -> Workspace {
        guard let workspace else { throw InternalError("an API operation ran without its principal") }
        return workspace
    }
}

/// Resolves the request's principal before its body is read: a bearer token's, or the project's anonymous role
/// without the header. A header that is not a bearer token is refused (401), never taken for no token at all.
/// The health checks and the document need no principal.
struct PrincipalMiddleware: ServerMiddleware {
    let context: ServerContext
    static let open: Set<String> = ["getHealth", "getReadiness", "getOpenAPIDocument"]

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        if Self.open.contains(operationID) { return try await next(request, body, metadata) }
        let workspace: Workspace
        if let token = try Self.bearer(request.headerFields[.authorization]) {
            workspace = try await context.workspace(token: token)
        } else {
            workspace = try await context.anonymousWorkspace(countingDenials: true)
        }
        return try await RequestPrincipal.$workspace.withValue(workspace) { try await next(request, body, metadata) }
    }

    /// The token of `Authorization: Bearer TOKEN`; `nil` without the header.
    static func bearer(_ header: String?) throws -> String? {
        guard let header else { return nil }
        let parts = header.split(separator: " ", maxSplits: 1)
        let token = parts.count == 2 ? String(parts[1]).trimmingCharacters(in: .whitespaces) : ""
        guard parts.count == 2, parts[0].lowercased() == "bearer", !token.isEmpty else {
            throw Unauthenticated("the Authorization header must be Bearer TOKEN; send none to act as anonymous")
        }
        return token
    }
}

/// Every operation answers in the media type openapi.yaml declares for it, whatever `Accept` asks (a browser's
/// `text/html` included): the header is not passed on to the generated code, which would otherwise fail the
/// answer after the operation ran.
struct DeclaredMediaTypes: ServerMiddleware {
    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        var request = request
        request.headerFields[.accept] = nil
        return try await next(request, body, metadata)
    }
}

/// A JSON request body is read whole before it is decoded, so it is capped (1 MiB: 413 past it) and refused
/// (400, naming the field) when any key or text value holds a control character.
struct JSONBodyGuard: ServerMiddleware {
    static let limit = 1 << 20

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        guard let body, request.headerFields[.contentType]?.lowercased().hasPrefix("application/json") == true else {
            return try await next(request, body, metadata)
        }
        if case .known(let length) = body.length, length > Self.limit {
            throw ServiceBusy.tooLarge("the request body", limit: Int64(Self.limit))
        }
        var data = Data()
        for try await chunk in body {
            guard data.count + chunk.count <= Self.limit else {
                throw ServiceBusy.tooLarge("the request body", limit: Int64(Self.limit))
            }
            data.append(contentsOf: chunk)
        }
        if let field = BadField.controlCharacterField(inJSON: data) { throw BadField.controlCharacter(in: field) }
        return try await next(request, HTTPBody(data), metadata)
    }
}

/// Every error of an operation as its status and problem body (`{"error": {"code", "message", …}}`): the
/// engine's errors by their code, a request the contract cannot decode as 400 naming its field, anything else
/// as 500 with the detail in the service's log only.
struct ProblemMiddleware: ServerMiddleware {
    let logger: Logger

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        do {
            return try await next(request, body, metadata)
        } catch let error as ServerError {
            let decoding = error.operationInput == nil && error.operationOutput == nil
            return problem(error.underlyingError, cause: error.causeDescription, decoding: decoding, request)
        } catch {
            return problem(error, cause: "\(error)", decoding: false, request)
        }
    }

    func problem(_ error: any Error, cause: String, decoding: Bool, _ request: HTTPRequest) -> (HTTPResponse, HTTPBody?)
    {
        if let bad = error as? BadField { return APIResponse.problem(bad, field: bad.field) }
        if let error = error as? any SluiceError { return APIResponse.problem(error) }
        if let decodingError = error as? DecodingError {
            let bad = BadField(decodingError)
            return APIResponse.problem(bad, field: bad.field)
        }
        if decoding {
            return APIResponse.problem(
                BadField(field: "request", message: "the request does not fit the API: \(cause)"))
        }
        logger.error(
            "request failed: \(error)",
            metadata: [
                "url.path": "\(request.path ?? "")", "error.message": "\(error)", "error.type": "\(type(of: error))",
            ])
        return APIResponse.problem(InternalError("the request failed inside the service; see its log"))
    }
}
