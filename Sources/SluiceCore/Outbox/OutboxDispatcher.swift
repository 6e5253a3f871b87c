import Foundation
import Logging

/// Posts JSON to a URL and tells the HTTP status (the service's is `HTTPPoster`; tests use their own).
public protocol OutboxTransport: Sendable {
    func post(_ body: Data, to url: URL, timeout: Duration) async throws -> Int
}

/// Delivers the outbox: each destination's messages in order, one at a time. A message that fails is tried
/// again after a backoff that doubles per attempt, capped, with jitter (a random half to whole of the
/// delay), holding back the messages after it to the same destination; one refused for good (a 4xx other
/// than 408 and 429) or older than `maxAge` is dropped, with an error in the log. Nothing here ever waits for
/// a run, or a run for it.
public struct OutboxDispatcher: Sendable {
    public let metadata: any MetadataStore
    public let transport: any OutboxTransport
    public let logger: Logger
    public var firstBackoff = TimeSpan(seconds: 1)
    public var maxBackoff = TimeSpan(seconds: 300)
    public var maxAge = TimeSpan(seconds: 86_400)
    public var timeout: Duration = .seconds(10)
    /// The jitter's random number in 0…1 (tests fix it).
    public var random: @Sendable () -> Double = { Double.random(in: 0...1) }

    public init(metadata: any MetadataStore, transport: any OutboxTransport, logger: Logger) {
        self.metadata = metadata
        self.transport = transport
        self.logger = logger
    }

    /// Delivers what is due at `now`; returns how many messages were delivered.
    @discardableResult
    public func deliverDue(now: Timestamp = .now()) async throws -> Int {
        let lease = TimeSpan(seconds: Int64(timeout.components.seconds) * 2 + 5)
        let due = try await metadata.claimOutbox(now: now, lease: lease, limit: 100)
        let settlements = await withTaskGroup(of: (OutboxMessage, OutboxSettlement).self) { group in
            for message in due { group.addTask { (message, await deliver(message, now: now)) } }
            return await group.reduce(into: []) { $0.append($1) }
        }
        for (message, settlement) in settlements {
            try await metadata.settleOutbox(message.id, settlement)
            EngineMetrics.delivery(channel: message.channel, settlement)
            report(message, settlement)
        }
        return settlements.filter { $0.1 == .delivered }.count
    }

    func deliver(_ message: OutboxMessage, now: Timestamp) async -> OutboxSettlement {
        let problem: String
        var permanent = false
        if let url = URL(string: message.destination) {
            do {
                let status = try await transport.post(message.body, to: url, timeout: timeout)
                if (200..<300).contains(status) { return .delivered }
                problem = "\(message.destination) answered HTTP \(status)"
                permanent = (400..<500).contains(status) && status != 408 && status != 429
            } catch {
                problem = "\(message.destination) could not be reached: \(error.localizedDescription)"
            }
        } else {
            problem = "\(message.destination) is not a URL"
            permanent = true
        }
        if permanent { return .dropped(error: "\(problem); it refused the message for good") }
        if now.milliseconds - message.createdAt.milliseconds >= maxAge.seconds * 1000 {
            return .dropped(error: "\(problem); given up after \(maxAge) and \(message.attempts + 1) attempts")
        }
        return .retry(at: now.adding(backoff(afterAttempt: message.attempts + 1)), error: problem)
    }

    /// The delay after the `attempt`th failed attempt, in milliseconds' precision.
    func backoff(afterAttempt attempt: Int) -> TimeSpan {
        let exponential = min(
            Double(maxBackoff.seconds), Double(firstBackoff.seconds) * pow(2, Double(min(30, max(0, attempt - 1)))))
        return TimeSpan(seconds: max(1, Int64((exponential * (0.5 + random() / 2)).rounded())))
    }

    private func report(_ message: OutboxMessage, _ settlement: OutboxSettlement) {
        let metadata: Logger.Metadata = [
            "event.action": "outbox-delivery", "sluice.channel": "\(message.channel)",
            "url.original": "\(message.destination)",
        ]
        switch settlement {
        case .delivered:
            logger.debug("delivered \(message.channel) message \(message.id)", metadata: metadata)
        case .retry(let at, let error):
            logger.warning(
                "\(message.channel) message \(message.id) not delivered (\(error)); trying again at \(at)",
                metadata: metadata.merging(["error.message": "\(error)", "error.type": "DeliveryFailed"]) { $1 })
        case .dropped(let error):
            logger.error(
                "\(message.channel) message \(message.id) dropped: \(error)",
                metadata: metadata.merging(["error.message": "\(error)", "error.type": "DeliveryDropped"]) { $1 })
        }
    }
}
