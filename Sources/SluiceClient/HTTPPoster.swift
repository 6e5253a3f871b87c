import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import SluiceCore

/// Posts the outbox's JSON messages (alerts, OpenLineage events) over AsyncHTTPClient; no cookies, no
/// credentials, redirects not followed.
public struct HTTPPoster: OutboxTransport {
    public init() {}

    public func post(_ body: Data, to url: URL, timeout: Duration) async throws -> Int {
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "sluice/\(EngineVersion.current)")
        request.body = .bytes(ByteBuffer(data: body))
        let response = try await Self.client.execute(request, timeout: .seconds(Int64(timeout.components.seconds)))
        // The body is not needed; reading it frees the connection.
        _ = try? await response.body.collect(upTo: 1 << 20)
        return Int(response.status.code)
    }

    /// A client of its own: the shared one follows redirects, and a webhook's redirect is not followed.
    /// It fails at once when the receiver cannot be reached: the outbox retries later, with backoff.
    static let client: HTTPClient = {
        var configuration = HTTPClient.Configuration(
            redirectConfiguration: .disallow, timeout: HTTPClient.Configuration.Timeout(connect: .seconds(5)))
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()
}
