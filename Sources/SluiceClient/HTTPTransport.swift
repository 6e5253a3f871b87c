import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import SluiceCore

/// Requests to `sluice serve` with a bearer token, over AsyncHTTPClient (SwiftNIO: no libcurl, so the binary
/// links statically); answers come back as status and body, errors of the service as the `SluiceError` it
/// sent (same message, same code, so the same exit status). Bodies are streamed both ways: memory stays bounded
/// whatever the size of an upload, a download or a followed log.
struct HTTPTransport: Sendable {
    let base: URL
    let token: String?

    struct Answer {
        var status: Int
        var body: Data
    }

    /// A request to send: method, URL and headers.
    struct Request: Sendable {
        var method: String
        var url: URL
        var headers: [(String, String)] = []

        mutating func setValue(_ value: String, forHTTPHeaderField name: String) {
            headers.removeAll { $0.0.lowercased() == name.lowercased() }
            headers.append((name, value))
        }
    }

    /// A client that fails at once when the service cannot be reached (the shared one would keep trying to
    /// connect until the request's deadline, an hour).
    static let client: HTTPClient = {
        var configuration = HTTPClient.Configuration(
            timeout: HTTPClient.Configuration.Timeout(connect: .seconds(10)))
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()

    /// How long one request may take (a run through the service can take long).
    static let timeout = TimeAmount.hours(1)
    /// The most of an answer held in memory at once (downloads and streams are handed on in pieces instead).
    static let answerLimit = 256 << 20

    func request(_ method: String, _ path: String, query: [String: String?] = [:]) throws -> Request {
        guard var components = URLComponents(url: base, resolvingAgainstBaseURL: false) else {
            throw UsageError("the service address \(NameRules.quoted(base.absoluteString)) is not a URL")
        }
        components.percentEncodedPath = components.percentEncodedPath.trimmingSuffix("/") + "/api/v1/" + path
        let items = query.sorted { $0.key < $1.key }.compactMap { key, value in
            value.map { URLQueryItem(name: key, value: $0) }
        }
        components.queryItems = items.isEmpty ? nil : items
        guard let url = components.url else { throw UsageError("cannot make a URL of \(path)") }
        var request = Request(method: method, url: url)
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        return request
    }

    /// Sends `request` (with a JSON body when given) and fails with the service's error unless it is 2xx.
    func send(_ request: Request, json body: Data? = nil) async throws -> Answer {
        var request = request
        var outgoing = HTTPClientRequest(url: request.url.absoluteString)
        if let body {
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            outgoing.body = .bytes(ByteBuffer(data: body))
        }
        return try checked(try await collect(execute(outgoing, request)))
    }

    /// Sends the file at `upload` as the body, read a piece at a time.
    func upload(_ request: Request, file upload: URL) async throws -> Answer {
        let handle = try FileHandle(forReadingFrom: upload)
        let size = try handle.seekToEnd()
        try handle.seek(toOffset: 0)
        let pieces = AsyncThrowingStream<ByteBuffer, any Error> {
            defer { if Task.isCancelled { try? handle.close() } }
            guard let piece = try handle.read(upToCount: 1 << 20), !piece.isEmpty else {
                try? handle.close()
                return nil
            }
            return ByteBuffer(data: piece)
        }
        var outgoing = HTTPClientRequest(url: request.url.absoluteString)
        outgoing.body = .stream(pieces, length: .known(Int64(size)))
        return try checked(try await collect(execute(outgoing, request)))
    }

    /// Hands the body to `sink` in pieces as it arrives (memory stays bounded).
    func download(_ request: Request, to sink: (Data) throws -> Void) async throws {
        let response = try await execute(HTTPClientRequest(url: request.url.absoluteString), request)
        guard (200..<300).contains(Int(response.status.code)) else {
            _ = try checked(try await collect(response))
            return
        }
        for try await piece in response.body { try sink(Data(buffer: piece)) }
    }

    /// The answer's body as it arrives; an answer that is not 2xx ends the stream with the service's error.
    func stream(_ request: Request) -> AsyncThrowingStream<Data, any Error> {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: Data.self)
        let task = Task {
            do {
                let response = try await execute(HTTPClientRequest(url: request.url.absoluteString), request)
                guard (200..<300).contains(Int(response.status.code)) else {
                    _ = try checked(try await collect(response))
                    return
                }
                for try await piece in response.body { continuation.yield(Data(buffer: piece)) }
                continuation.finish()
            } catch {
                continuation.finish(throwing: error)
            }
        }
        continuation.onTermination = { _ in task.cancel() }
        return stream
    }

    private func execute(_ outgoing: HTTPClientRequest, _ request: Request) async throws -> HTTPClientResponse {
        var outgoing = outgoing
        outgoing.method = HTTPMethod(rawValue: request.method)
        for (name, value) in request.headers { outgoing.headers.replaceOrAdd(name: name, value: value) }
        do {
            return try await Self.client.execute(outgoing, timeout: Self.timeout)
        } catch {
            throw RemoteError(
                code: .unavailable,
                message: "the service at \(Self.origin(base)) does not answer: \(Self.describe(error))",
                hint: "is sluice serve running there? (SLUICE_SERVER or --server names it)")
        }
    }

    private func collect(_ response: HTTPClientResponse) async throws -> Answer {
        do {
            let body = try await response.body.collect(upTo: Self.answerLimit)
            return Answer(status: Int(response.status.code), body: Data(buffer: body))
        } catch {
            throw RemoteError(
                code: .unavailable,
                message: "the service at \(Self.origin(base)) stopped answering: \(Self.describe(error))")
        }
    }

    private func checked(_ answer: Answer) throws -> Answer {
        if (200..<300).contains(answer.status) { return answer }
        throw RemoteError(answer, from: Self.origin(base))
    }

    static func origin(_ url: URL) -> String {
        "\(url.scheme ?? "http")://\(url.host ?? "?")\(url.port.map { ":\($0)" } ?? "")"
    }

    /// An error of the connection, in words.
    static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError { return "\(error)" }
        return "\(error)"
    }
}

extension String {
    fileprivate func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}
