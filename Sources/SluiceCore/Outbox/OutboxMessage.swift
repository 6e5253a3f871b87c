import Foundation

/// A message to another system (an alert for Alertmanager or a webhook, an OpenLineage event) kept in the
/// store until it is delivered, so that a restart or an unreachable receiver loses none. Messages to one
/// destination go in the order they were queued.
public struct OutboxMessage: Hashable, Sendable {
    /// Given by the store when the message is queued; increasing.
    public var id: Int64
    /// What kind of message it is (`alertmanager`, `webhook`, `openlineage`): a bounded metric label.
    public var channel: String
    /// The URL it is posted to.
    public var destination: String
    /// The JSON body.
    public var body: Data
    public var createdAt: Timestamp
    public var attempts: Int
    public var nextAttemptAt: Timestamp
    public var lastError: String?
    /// A message with a key replaces the undelivered messages with the same key when queued: a newer copy of
    /// the same state (Alertmanager's periodic resend of firing alerts) makes the older ones pointless.
    public var replaces: String?

    public init(
        channel: String, destination: String, body: Data, createdAt: Timestamp, replaces: String? = nil
    ) {
        self.id = 0
        self.channel = channel
        self.destination = destination
        self.body = body
        self.createdAt = createdAt
        self.attempts = 0
        self.nextAttemptAt = createdAt
        self.replaces = replaces
    }
}

/// What became of one delivery attempt.
public enum OutboxSettlement: Hashable, Sendable {
    /// Delivered: the message leaves the outbox.
    case delivered
    /// Not delivered; tried again at `at`.
    case retry(at: Timestamp, error: String)
    /// Given up on (too old, or refused for good): the message leaves the outbox.
    case dropped(error: String)
}

/// An alert firing now, as the store keeps it so that its resolution is sent once, with the same labels and
/// annotations, even across a restart.
public struct AlertRecord: Hashable, Sendable, Codable {
    /// A hash of the labels: one alert per rule and subject.
    public var fingerprint: String
    public var labels: [String: String]
    public var annotations: [String: String]
    public var startsAt: Timestamp
    /// The web UI page that shows what the alert is about.
    public var generatorURL: String

    public init(labels: [String: String], annotations: [String: String], startsAt: Timestamp, generatorURL: String) {
        self.fingerprint = Self.fingerprint(of: labels)
        self.labels = labels
        self.annotations = annotations
        self.startsAt = startsAt
        self.generatorURL = generatorURL
    }

    /// The first 16 hex digits of the SHA-256 of the labels, sorted, as `name\0value\0` pairs.
    public static func fingerprint(of labels: [String: String]) -> String {
        let text = labels.sorted { $0.key < $1.key }.map { "\($0.key)\u{0}\($0.value)\u{0}" }.joined()
        return String(ObjectID.hashing(Data(text.utf8)).hex.prefix(16))
    }
}

/// A change in what is firing, with the messages that announce it; the store applies it, and queues its
/// messages, only if it still is a change (a firing alert not yet recorded, a resolved one still recorded), so
/// two services judging the same store announce each change once.
public struct AlertTransition: Hashable, Sendable {
    public enum Kind: String, Hashable, Sendable {
        /// `updated`: still firing, about something newer (the latest failed run): its annotations and link move on.
        case fired, resolved, updated
    }

    public var kind: Kind
    public var alert: AlertRecord
    public var messages: [OutboxMessage]

    public init(kind: Kind, alert: AlertRecord, messages: [OutboxMessage]) {
        self.kind = kind
        self.alert = alert
        self.messages = messages
    }
}
