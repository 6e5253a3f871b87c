import Foundation

/// One round of alerting: judges the rules on the facts, and records each alert that started or stopped
/// firing, with the messages that announce it, in one transaction (so a restart neither loses nor repeats
/// an announcement). Firing alerts are sent to Alertmanager again every `resend_every`, so that it keeps them.
public struct AlertKeeper: Sendable {
    public let evaluator: AlertEvaluator
    public let notice: AlertNotice
    public let metadata: any MetadataStore

    public init(project: Project, externalURL: String, metadata: any MetadataStore) {
        self.evaluator = AlertEvaluator(project: project, externalURL: externalURL)
        self.notice = AlertNotice(settings: project.alerts, externalURL: externalURL)
        self.metadata = metadata
    }

    /// What a round changed.
    public struct Round: Sendable {
        public var fired: [AlertRecord]
        public var updated: [AlertRecord]
        public var resolved: [AlertRecord]
        public var firing: Int
    }

    public func evaluate(_ facts: AlertFacts) async throws -> Round {
        let now = facts.now
        let current = evaluator.firing(facts)
        let stored = try await metadata.firingAlerts()
        let storedKeys = Set(stored.map(\.fingerprint))
        let currentKeys = Set(current.map(\.fingerprint))
        var transitions: [AlertTransition] = []
        var seen = Set<String>()
        for alert in current where !storedKeys.contains(alert.fingerprint) && seen.insert(alert.fingerprint).inserted {
            transitions.append(
                AlertTransition(kind: .fired, alert: alert, messages: notice.messages(.fired, alert, now: now)))
        }
        // Still firing, about something newer: the stored alert takes the new annotations and link (it keeps
        // when it started), and Alertmanager hears of them at once.
        let storedByKey = Dictionary(stored.map { ($0.fingerprint, $0) }, uniquingKeysWith: { first, _ in first })
        for alert in current where seen.insert(alert.fingerprint).inserted {
            guard let old = storedByKey[alert.fingerprint],
                old.annotations != alert.annotations || old.generatorURL != alert.generatorURL
            else { continue }
            var updated = alert
            updated.startsAt = old.startsAt
            transitions.append(
                AlertTransition(kind: .updated, alert: updated, messages: notice.resend([updated], now: now)))
        }
        for alert in stored where !currentKeys.contains(alert.fingerprint) {
            // Resent with the labels and annotations it fired with.
            transitions.append(
                AlertTransition(kind: .resolved, alert: alert, messages: notice.messages(.resolved, alert, now: now)))
        }
        let applied = try await metadata.applyAlertTransitions(transitions)
        for transition in applied { EngineMetrics.alert(transition) }
        return Round(
            fired: applied.filter { $0.kind == .fired }.map(\.alert),
            updated: applied.filter { $0.kind == .updated }.map(\.alert),
            resolved: applied.filter { $0.kind == .resolved }.map(\.alert), firing: currentKeys.count)
    }

    /// Queues the periodic resend of every firing alert to Alertmanager.
    public func resend(now: Timestamp) async throws {
        try await metadata.enqueue(notice.resend(try await metadata.firingAlerts(), now: now))
    }
}
