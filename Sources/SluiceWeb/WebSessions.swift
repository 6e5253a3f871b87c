import Crypto
import Foundation
import SluiceCore

/// Signed-in browsers. A principal's token, entered once on the sign-in page, is kept here (in the service's
/// memory only) under a random session id that the browser holds in an HttpOnly cookie. A session ends when it
/// has been idle too long, when it reaches its absolute age, on sign-out, or when its token stops working; a
/// restarted service has none, and everyone signs in again.
public actor WebSessions {
    public struct Session: Sendable {
        public let id: String
        public let token: String
        public let principal: String
        /// The value every form of this session carries back (compared in constant time).
        public let csrf: String
        public let created: Date
        public fileprivate(set) var lastSeen: Date
    }

    public let idleTimeout: TimeInterval
    public let maximumAge: TimeInterval
    public let limit: Int
    /// Sessions one principal may hold; its oldest makes room for a new one, so that no token holder can
    /// fill the table and sign everyone else out.
    public let limitPerPrincipal: Int
    private var sessions: [String: Session] = [:]

    public init(
        idleTimeout: TimeInterval = 2 * 3600, maximumAge: TimeInterval = 12 * 3600, limit: Int = 10_000,
        limitPerPrincipal: Int = 100
    ) {
        self.idleTimeout = idleTimeout
        self.maximumAge = maximumAge
        self.limit = limit
        self.limitPerPrincipal = limitPerPrincipal
    }

    /// A new session for `token`; the principal's oldest session makes room when it holds its limit, and the
    /// oldest of all when the table is full.
    public func create(token: String, principal: String, now: Date = Date()) -> Session {
        sweep(now: now)
        var own = sessions.values.filter { $0.principal == principal }.sorted { $0.lastSeen < $1.lastSeen }
        while own.count >= limitPerPrincipal {
            sessions[own.removeFirst().id] = nil
        }
        while sessions.count >= limit, let oldest = sessions.values.min(by: { $0.lastSeen < $1.lastSeen }) {
            sessions[oldest.id] = nil
        }
        let session = Session(
            id: Self.secret(), token: token, principal: principal, csrf: Self.secret(), created: now, lastSeen: now)
        sessions[session.id] = session
        return session
    }

    /// The live session `id`, marked as seen now; nil when there is none or it has expired.
    public func session(_ id: String, now: Date = Date()) -> Session? {
        guard var session = sessions[id] else { return nil }
        guard isLive(session, now: now) else {
            sessions[id] = nil
            return nil
        }
        session.lastSeen = now
        sessions[id] = session
        return session
    }

    public func end(_ id: String) {
        sessions[id] = nil
    }

    private func isLive(_ session: Session, now: Date) -> Bool {
        now.timeIntervalSince(session.lastSeen) < idleTimeout && now.timeIntervalSince(session.created) < maximumAge
    }

    private func sweep(now: Date) {
        sessions = sessions.filter { isLive($0.value, now: now) }
    }

    /// A new session id or form secret (256 bits from the system's secure generator).
    public static func secret() -> String { TokenSecret.random() }

    /// Compares two secrets without an early exit (through their digests, so lengths leak nothing either).
    public static func sameSecret(_ a: String, _ b: String) -> Bool {
        let left = SHA256.hash(data: Data(a.utf8))
        let right = SHA256.hash(data: Data(b.utf8))
        return zip(left, right).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
