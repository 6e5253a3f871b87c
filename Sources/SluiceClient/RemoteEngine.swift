import AsyncHTTPClient
import Foundation
import OpenAPIAsyncHTTPClient
import OpenAPIRuntime
import SluiceAPIContract
import SluiceCore

/// The engine of server mode: every operation is a request to `sluice serve` through the client generated
/// from openapi.yaml, with the caller's token, answered with the same values `Workspace` returns. Nothing here
/// opens the store or reads the project. Bodies are streamed both ways: memory stays bounded whatever the size
/// of an upload, a download or a followed log.
public struct RemoteEngine: Engine {
    let client: Client
    let origin: String

    /// `server` is the service's base address (`https://sluice.example.com`); `token` the caller's.
    public init(server: URL, token: String?) {
        origin = "\(server.scheme ?? "http")://\(server.host ?? "?")\(server.port.map { ":\($0)" } ?? "")"
        let transport = AsyncHTTPClientTransport(configuration: .init(client: Self.http, timeout: .hours(1)))
        client = Client(
            serverURL: server, transport: transport, middlewares: [ServiceAnswers(token: token, origin: origin)])
    }

    /// A client that fails at once when the service cannot be reached (the shared one would keep trying to
    /// connect until the request's deadline, an hour). AsyncHTTPClient: SwiftNIO, no libcurl, so the binary
    /// links statically.
    static let http: HTTPClient = {
        var configuration = HTTPClient.Configuration(timeout: .init(connect: .seconds(10)))
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()

    /// Runs one operation; an error the service sent comes out as it was sent, an answer this client cannot
    /// read as `unavailable`.
    func call<T>(_ operation: (Client) async throws -> T) async throws -> T {
        do {
            return try await operation(client)
        } catch let error as ClientError {
            if let remote = error.underlyingError as? RemoteError { throw remote }
            throw RemoteError(
                code: .unavailable,
                message:
                    "the service's answer is not what this client expects (\(error.underlyingError)); are both the same version?",
                hint: "sluice --version here, and the service's log")
        } catch let remote as RemoteError {
            throw remote
        } catch {
            throw RemoteError(code: .unavailable, message: "the service at \(origin) stopped answering: \(error)")
        }
    }

    /// Every item of a paged list, or the first `limit`.
    func all<T: Sendable>(
        limit: Int = .max, _ page: (Client, Int, String?) async throws -> Page<T>
    ) async throws -> [T] {
        var items: [T] = []
        var after: String?
        repeat {
            let next = try await call { try await page($0, min(PageRequest.maximumLimit, limit - items.count), after) }
            items += next.items
            after = next.next
        } while after != nil && items.count < limit
        return items
    }

    /// Hands a body to `sink` in pieces as it arrives.
    func drain(_ body: HTTPBody, to sink: (Data) throws -> Void) async throws {
        try await call { _ in
            for try await piece in body { try sink(Data(piece)) }
        }
    }

    /// The file at `url` as a body of known length, read a mebibyte at a time.
    static func upload(_ url: URL) throws -> HTTPBody {
        guard FileManager.default.isReadableFile(atPath: url.path) else { throw UsageError("cannot read \(url.path)") }
        let handle = try FileHandle(forReadingFrom: url)
        let size = try handle.seekToEnd()
        try handle.seek(toOffset: 0)
        let pieces = AsyncThrowingStream<ArraySlice<UInt8>, any Error> {
            defer { if Task.isCancelled { try? handle.close() } }
            guard let piece = try handle.read(upToCount: 1 << 20), !piece.isEmpty else {
                try? handle.close()
                return nil
            }
            return ArraySlice(piece)
        }
        return HTTPBody(pieces, length: .known(Int64(size)), iterationBehavior: .single)
    }
}
