import Foundation
import Hummingbird
import Logging

/// An HTTP receiver on loopback that keeps every JSON body posted to it, for the alerting and lineage
/// tests: Alertmanager's webhook notifications, Sluice's own webhooks, OpenLineage events.
final class TestReceiver: Sendable {
    actor Received {
        var posts: [(path: String, body: Data)] = []
        func add(_ path: String, _ body: Data) { posts.append((path, body)) }
    }

    let received = Received()
    /// Its own shutdown (cancelled by the test) is no news.
    static let quiet: Logger = {
        var logger = Logger(label: "test-receiver")
        logger.logLevel = .critical
        return logger
    }()
    let port: Int
    private let task: Task<Void, any Error>

    /// Starts listening on `port` (0: any free port).
    init(port: Int = 0) async throws {
        let received = self.received
        let router = Router()
        router.post("**") { request, _ -> HTTPResponse.Status in
            let body = try await request.body.collect(upTo: 16 << 20)
            await received.add(request.uri.path, Data(buffer: body))
            return .ok
        }
        let (stream, listening) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)),
            onServerRunning: { listening.yield($0.localAddress?.port ?? 0) },
            logger: Self.quiet)
        task = Task { try await app.runService(gracefulShutdownSignals: []) }
        var iterator = stream.makeAsyncIterator()
        guard let bound = await iterator.next(), bound != 0 else {
            task.cancel()
            throw CancellationError()
        }
        self.port = bound
    }

    /// The JSON objects posted to `path`, in order.
    func objects(at path: String) async -> [[String: Any]] {
        await received.posts.filter { $0.path == path }.compactMap {
            try? JSONSerialization.jsonObject(with: $0.body) as? [String: Any]
        }
    }

    /// Waits (up to `seconds`) until a JSON object posted to `path` satisfies `matches`, and returns it.
    func waitFor(
        _ path: String, seconds: Double = 60, _ matches: ([String: Any]) -> Bool
    ) async throws -> [String: Any]? {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let found = await objects(at: path).first(where: matches) { return found }
            try await Task.sleep(for: .milliseconds(100))
        }
        return nil
    }

    func stop() { task.cancel() }

    deinit { task.cancel() }
}
