import Foundation
import SluiceCore

/// The outbox and the firing alerts, the same on every metadata store: each destination's messages go in
/// order, a claimed message is not claimed again while its lease runs, a resend replaces the one not yet
/// tried, and an alert's firing or resolution is applied (and announced) once, however many services race.
extension MetadataConformance {
    static let t0 = Timestamp(milliseconds: 1_790_000_000_000)

    static func message(_ destination: String, _ text: String, replaces: String? = nil) -> OutboxMessage {
        OutboxMessage(
            channel: "webhook", destination: destination, body: Data(text.utf8), createdAt: t0, replaces: replaces)
    }

    static func eachDestinationInOrderOneAtATime(_ store: any MetadataStore) async throws {
        try await store.enqueue([message("http://a/", "a1"), message("http://b/", "b1"), message("http://a/", "a2")])
        let lease = TimeSpan(seconds: 30)
        let first = try await store.claimOutbox(now: t0, lease: lease, limit: 10)
        try expect(first.map { String(decoding: $0.body, as: UTF8.self) } == ["a1", "b1"])
        // Leased: nobody else takes them, and a2 waits behind a1.
        try expect(try await store.claimOutbox(now: t0, lease: lease, limit: 10).isEmpty)
        let a1 = try require(first.first)
        try await store.settleOutbox(a1.id, .retry(at: t0.adding(TimeSpan(seconds: 5)), error: "HTTP 503"))
        try expect(try await store.claimOutbox(now: t0.adding(TimeSpan(seconds: 4)), lease: lease, limit: 10).isEmpty)
        let again = try await store.claimOutbox(now: t0.adding(TimeSpan(seconds: 5)), lease: lease, limit: 10)
        try expect(again.map(\.id) == [a1.id])
        try expect(again.first?.attempts == 1)
        try expect(again.first?.lastError == "HTTP 503")
        try await store.settleOutbox(a1.id, .delivered)
        let next = try await store.claimOutbox(now: t0.adding(TimeSpan(seconds: 5)), lease: lease, limit: 10)
        try expect(next.map { String(decoding: $0.body, as: UTF8.self) } == ["a2"])
        try await store.settleOutbox(next[0].id, .dropped(error: "HTTP 400"))
        try expect(try await store.pendingOutbox().map { String(decoding: $0.body, as: UTF8.self) } == ["b1"])
    }

    static func aResendReplacesTheOneNotYetTried(_ store: any MetadataStore) async throws {
        try await store.enqueue([message("http://a/", "old", replaces: "resend")])
        try await store.enqueue([message("http://a/", "transition"), message("http://a/", "new", replaces: "resend")])
        try expect(
            try await store.pendingOutbox().map { String(decoding: $0.body, as: UTF8.self) } == ["transition", "new"])
        try await store.enqueue([message("http://b/", "other", replaces: "resend")])
        try expect(try await store.pendingOutbox().count == 3)
    }

    static func transitionsApplyOnceAcrossRacers(_ store: any MetadataStore) async throws {
        let alert = AlertRecord(
            labels: ["alertname": "PipelineFailed", "pipeline": "daily"], annotations: ["summary": "failed"],
            startsAt: t0, generatorURL: "http://sluice/ui/runs/r1")
        let fired = AlertTransition(kind: .fired, alert: alert, messages: [message("http://a/", "fired")])
        let applied = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<6 { group.addTask { try await store.applyAlertTransitions([fired]).count } }
            return try await group.reduce(0, +)
        }
        try expect(applied == 1)
        try expect(try await store.firingAlerts() == [alert])
        try expect(try await store.pendingOutbox().count == 1)
        let resolved = AlertTransition(kind: .resolved, alert: alert, messages: [message("http://a/", "resolved")])
        try expect(try await store.applyAlertTransitions([resolved, resolved]).count == 1)
        try expect(try await store.firingAlerts().isEmpty)
        try expect(
            try await store.pendingOutbox().map { String(decoding: $0.body, as: UTF8.self) } == ["fired", "resolved"])
    }
}
