import Foundation
import Logging
import ServiceLifecycle
import SluiceCore

/// Failed authentications by client address, in one-minute windows. Each window of each client is audited
/// once, as one `authenticate` denial carrying the count, when the window has closed (and at shutdown), so a
/// flood of made-up tokens costs the audit log one event per client per minute, not one per request. Past
/// `limit` failures in a window, the client's requests with credentials are refused with 429 until the window
/// ends, without their tokens being looked up. Every failure is counted in `sluice_auth_failures_total`.
/// Configured with another `event`, the same windows count the refusals of requests without a token
/// (`ServerContext.anonymousRefusals`): anonymous callers cannot flood the audit log either.
public final class SignInLimiter: Service, @unchecked Sendable {
    struct Window {
        var minute: Int64
        var count: Int
        var limited: Int
    }

    /// Clients tracked at once; past it, new clients' failures count under `other`.
    static let maximumClients = 10_000
    let limit: Int
    private let metadata: any MetadataStore
    private let logger: Logger
    private let lock = NSLock()
    private var windows: [String: Window] = [:]  // guarded by lock
    private var closed: [(client: String, window: Window)] = []  // guarded by lock

    /// What each window's event says: its action, target and reason (failed sign-ins by default).
    let event: (action: String, target: String, reason: String)
    /// Whether each count is a failed authentication (`sluice_auth_failures_total`).
    let authentications: Bool

    public init(
        metadata: any MetadataStore, limit: Int = 30, logger: Logger,
        event: (action: String, target: String, reason: String) = (
            "authenticate", "token", "bearer tokens that are unknown or revoked"
        ), authentications: Bool = true
    ) {
        self.metadata = metadata
        self.limit = limit
        self.logger = logger
        self.event = event
        self.authentications = authentications
    }

    /// Seconds until `client` may try again, or nil when it is under its limit.
    public func retryAfter(_ client: String, now: Date = Date()) -> Int? {
        let minute = Self.minute(of: now)
        let limited: Bool = lock.withLock {
            guard var window = windows[client], window.minute == minute, window.count >= limit else { return false }
            window.limited += 1
            windows[client] = window
            return true
        }
        guard limited else { return nil }
        EngineMetrics.authenticationFailed(limited: true)
        return max(1, 60 - Int(now.timeIntervalSince1970) % 60)
    }

    /// Counts a refused authentication of `client`.
    public func failed(_ client: String, now: Date = Date()) {
        if authentications { EngineMetrics.authenticationFailed(limited: false) }
        let minute = Self.minute(of: now)
        lock.withLock {
            let key = windows[client] != nil || windows.count < Self.maximumClients ? client : "other"
            var window = windows[key] ?? Window(minute: minute, count: 0, limited: 0)
            if window.minute != minute {
                closed.append((key, window))
                window = Window(minute: minute, count: 0, limited: 0)
            }
            window.count += 1
            windows[key] = window
        }
    }

    /// Audits every window that ended before `now` (all of them with `everything`), one event each.
    public func flush(now: Date = Date(), everything: Bool = false) async {
        let minute = Self.minute(of: now)
        let due: [(client: String, window: Window)] = lock.withLock {
            var due = closed
            closed = []
            for (client, window) in windows where everything || window.minute < minute {
                due.append((client, window))
                windows[client] = nil
            }
            return due
        }
        for (client, window) in due.sorted(by: { ($0.window.minute, $0.client) < ($1.window.minute, $1.client) }) {
            await audit(client: client, window: window, now: now)
        }
    }

    private func audit(client: String, window: Window, now: Date) async {
        let start = Timestamp(milliseconds: window.minute * 60_000)
        var details = [
            "client": client, "count": "\(window.count)", "window_start": start.iso8601, "window_seconds": "60",
            "reason": event.reason,
        ]
        if window.limited > 0 { details["refused_unchecked"] = "\(window.limited)" }
        do {
            _ = try await metadata.appendAudit(
                AuditDraft(
                    time: Timestamp(
                        milliseconds: min((window.minute + 1) * 60_000 - 1, Int64(now.timeIntervalSince1970 * 1000))),
                    principal: "anonymous",
                    authentication: .anonymous, action: event.action, target: event.target, outcome: .denied,
                    details: details))
            EngineMetrics.audited(action: event.action, outcome: .denied)
        } catch {
            logger.error(
                "could not audit \(window.count) refusals (\(event.action)) of \(client): \(error)",
                metadata: ["error.message": "\(error)", "event.action": "\(event.action)"])
        }
    }

    static func minute(of date: Date) -> Int64 { Int64(date.timeIntervalSince1970) / 60 }

    /// Audits closed windows every few seconds; at shutdown, every window.
    public func run() async throws {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try await Task.sleep(for: .seconds(5))
                await self.flush()
            }
        }
        // The last windows are written even though this task is cancelled (the store refuses work from a
        // cancelled task), in a task of their own that is awaited here.
        await Task { await self.flush(everything: true) }.value
    }
}
