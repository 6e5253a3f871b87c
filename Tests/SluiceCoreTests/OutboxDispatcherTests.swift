import Foundation
import Logging
import SluiceStore
import Testing

@testable import SluiceCore

/// Issue 14 items 2 and 5: the outbox is delivered in order per destination, retried with capped, jittered
/// backoff while the receiver fails, dropped (with an error) when refused for good or too old, and a
/// receiver that never answers holds up nothing but its own messages.
@Suite struct OutboxDispatcherTests {
    let t0 = Timestamp(milliseconds: 1_790_000_000_000)

    /// Answers with the statuses it is given, in turn, and remembers what it was sent.
    actor Receiver: OutboxTransport {
        var statuses: [String: [Int]]
        var received: [(String, String)] = []

        init(_ statuses: [String: [Int]]) { self.statuses = statuses }

        func post(_ body: Data, to url: URL, timeout: Duration) async throws -> Int {
            let host = url.host ?? ""
            guard var queue = statuses[host], !queue.isEmpty else { throw URLError(.cannotConnectToHost) }
            let status = queue.removeFirst()
            statuses[host] = queue
            received.append((host, String(decoding: body, as: UTF8.self)))
            return status
        }
    }

    func message(_ host: String, _ text: String) -> OutboxMessage {
        OutboxMessage(channel: "webhook", destination: "http://\(host)/hook", body: Data(text.utf8), createdAt: t0)
    }

    @Test("backoff doubles per attempt from 1s, is capped at 5 minutes and jittered between half and whole")
    func backoff() {
        var dispatcher = OutboxDispatcher(
            metadata: InMemoryMetadataStore(), transport: Receiver([:]), logger: Logger(label: "t"))
        dispatcher.random = { 1 }
        #expect((1...6).map { dispatcher.backoff(afterAttempt: $0).seconds } == [1, 2, 4, 8, 16, 32])
        #expect(dispatcher.backoff(afterAttempt: 40).seconds == 300)
        dispatcher.random = { 0 }
        #expect(dispatcher.backoff(afterAttempt: 5).seconds == 8)
        #expect(dispatcher.backoff(afterAttempt: 40).seconds == 150)
    }

    @Test("a failing receiver is retried in order; one refused for good is dropped; others go on meanwhile")
    func retriesInOrder() async throws {
        let store: any MetadataStore = InMemoryMetadataStore()
        let receiver = Receiver(["a": [503, 200, 200], "b": [400], "c": [200]])
        var dispatcher = OutboxDispatcher(metadata: store, transport: receiver, logger: Logger(label: "t"))
        dispatcher.random = { 1 }
        try await store.enqueue([message("a", "a1"), message("a", "a2"), message("b", "b1"), message("c", "c1")])
        #expect(try await dispatcher.deliverDue(now: t0) == 1)
        let pending = try await store.pendingOutbox()
        #expect(pending.map { String(decoding: $0.body, as: UTF8.self) } == ["a1", "a2"])
        #expect(pending[0].attempts == 1 && pending[0].nextAttemptAt == t0.adding(TimeSpan(seconds: 1)))
        #expect(pending[0].lastError?.contains("HTTP 503") == true)
        #expect(try await dispatcher.deliverDue(now: t0) == 0, "not due before its backoff")
        #expect(try await dispatcher.deliverDue(now: t0.adding(TimeSpan(seconds: 1))) == 1)
        #expect(try await dispatcher.deliverDue(now: t0.adding(TimeSpan(seconds: 1))) == 1)
        #expect(try await store.pendingOutbox().isEmpty)
        #expect(await receiver.received.filter { $0.0 == "a" }.map(\.1) == ["a1", "a1", "a2"])
    }

    @Test("an unreachable receiver's message is kept until it is a day old, then dropped")
    func givesUpAfterADay() async throws {
        let store: any MetadataStore = InMemoryMetadataStore()
        let dispatcher = OutboxDispatcher(metadata: store, transport: Receiver([:]), logger: Logger(label: "t"))
        try await store.enqueue([message("gone", "m")])
        try await dispatcher.deliverDue(now: t0)
        #expect(try await store.pendingOutbox().first?.lastError?.contains("could not be reached") == true)
        try await dispatcher.deliverDue(now: t0.adding(TimeSpan(seconds: 86_399)))
        #expect(try await store.pendingOutbox().count == 1)
        try await dispatcher.deliverDue(now: t0.adding(TimeSpan(seconds: 86_400 + 600)))
        #expect(try await store.pendingOutbox().isEmpty)
    }
}
