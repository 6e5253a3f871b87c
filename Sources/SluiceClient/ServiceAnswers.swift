import Foundation
import HTTPTypes
import OpenAPIRuntime
import SluiceCore

/// What every request to the service shares: the caller's bearer token on the way out, and on the way back
/// an answer that is not 2xx turned into the `SluiceError` the service sent (same message, same code, so the
/// same exit status), before the generated client decodes anything.
struct ServiceAnswers: ClientMiddleware {
    let token: String?
    let origin: String

    /// The most of an error's body read (a problem body is a few hundred bytes).
    static let problemLimit = 1 << 20

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        var request = request
        if let token { request.headerFields[.authorization] = "Bearer \(token)" }
        let (response, answer): (HTTPResponse, HTTPBody?)
        do {
            (response, answer) = try await next(request, body, baseURL)
        } catch {
            throw RemoteError(
                code: .unavailable, message: "the service at \(origin) does not answer: \(error)",
                hint: "is sluice serve running there? (SLUICE_SERVER or --server names it)")
        }
        guard response.status.kind != .successful else { return (response, answer) }
        let problem = (try? await Data(collecting: answer ?? HTTPBody(), upTo: Self.problemLimit)) ?? Data()
        throw RemoteError(status: response.status.code, body: problem, from: origin)
    }
}
