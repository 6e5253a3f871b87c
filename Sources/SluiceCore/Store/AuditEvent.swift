import Crypto
import Foundation

/// How the acting principal proved who it is.
public enum Authentication: String, Sendable, Codable {
    /// A `SLUICE_TOKEN` whose hash matched a stored token.
    case token
    /// The OS user name matched a declared principal; a claim, not a proof.
    case claimed
    /// Nobody in particular.
    case anonymous
    /// The service acting on its own schedule, as the principal the project names (`service: { run_as: }`).
    case service

    /// Proven, not claimed: a token, or the service that holds the store.
    public var isVerified: Bool { self == .token || self == .service }
}

/// What happened to an attempted operation.
public enum AuditOutcome: String, Sendable, Codable {
    case succeeded, denied, failed
}

/// An audit event before it is sealed into the chain.
public struct AuditDraft: Hashable, Sendable, Codable {
    public var time: Timestamp
    public var principal: String
    public var authentication: Authentication
    public var action: String
    public var target: String
    public var outcome: AuditOutcome
    public var details: [String: String]

    public init(
        time: Timestamp, principal: String, authentication: Authentication, action: String, target: String,
        outcome: AuditOutcome, details: [String: String] = [:]
    ) {
        self.time = time
        self.principal = principal
        self.authentication = authentication
        self.action = action
        self.target = target
        self.outcome = outcome
        self.details = details
    }
}

extension AuditDraft {
    /// The draft as stores keep it: NUL characters replaced by U+FFFD in every text field.
    var storable: AuditDraft {
        func clean(_ text: String) -> String {
            text.utf8.contains(0) ? text.replacingOccurrences(of: "\u{0}", with: "\u{FFFD}") : text
        }
        var copy = self
        copy.principal = clean(principal)
        copy.action = clean(action)
        copy.target = clean(target)
        copy.details = Dictionary(
            details.map { (clean($0.key), clean($0.value)) }, uniquingKeysWith: { first, _ in first })
        return copy
    }
}

/// A sealed audit event: its hash covers its own fields, its sequence number and the previous event's hash,
/// so changing, removing or reordering any event breaks the chain from there on.
public struct AuditEvent: Hashable, Sendable, Codable {
    public var sequence: Int64
    public var draft: AuditDraft
    public var previousHash: String
    public var hash: String

    public init(sequence: Int64, draft: AuditDraft, previousHash: String, hash: String) {
        self.sequence = sequence
        self.draft = draft
        self.previousHash = previousHash
        self.hash = hash
    }

    public static let genesisHash = String(repeating: "0", count: 64)

    /// Seals `draft` as the event after `previous` (or as the first event). What is hashed is what every
    /// store keeps and gives back byte for byte: text with a NUL (which SQLite's text columns cut) is sealed
    /// with U+FFFD in its place, so no hostile value can make a stored event disagree with its hash.
    public static func seal(_ draft: AuditDraft, after previous: AuditEvent?) throws -> AuditEvent {
        let sequence = (previous?.sequence ?? 0) + 1
        let previousHash = previous?.hash ?? genesisHash
        let draft = draft.storable
        return AuditEvent(
            sequence: sequence, draft: draft, previousHash: previousHash,
            hash: try computeHash(sequence: sequence, draft: draft, previousHash: previousHash))
    }

    public static func computeHash(sequence: Int64, draft: AuditDraft, previousHash: String) throws -> String {
        var hasher = SHA256()
        hasher.update(data: Data("\(sequence)\n\(previousHash)\n".utf8))
        hasher.update(data: try CanonicalJSON.encode(draft))
        return ObjectID(digest: hasher.finalize()).hex
    }
}

/// The newest sequence number and hash, kept apart from the events so that cutting events off the end
/// of the chain is detected too.
public struct AuditHead: Hashable, Sendable, Codable {
    public var sequence: Int64
    public var hash: String

    public init(sequence: Int64, hash: String) {
        self.sequence = sequence
        self.hash = hash
    }
}
