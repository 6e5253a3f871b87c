import Foundation

/// The messages that announce alerts: Alertmanager's API body (`POST /api/v2/alerts`, a list of alerts) and
/// Alertmanager's webhook payload (version 4) for plain webhooks.
public struct AlertNotice: Sendable {
    public let settings: AlertSettings
    /// The service's address, sent as the webhook payload's `externalURL`.
    public let externalURL: String

    public init(settings: AlertSettings, externalURL: String) {
        self.settings = settings
        self.externalURL = externalURL
    }

    /// How long Alertmanager keeps a firing alert it hears no more of: four resend periods, as Prometheus does.
    var firingFor: TimeSpan { TimeSpan(seconds: settings.resendEvery.seconds * 4) }

    /// The messages announcing that `alert` fired or was resolved at `now`.
    public func messages(_ kind: AlertTransition.Kind, _ alert: AlertRecord, now: Timestamp) -> [OutboxMessage] {
        let endsAt = kind == .fired ? now.adding(firingFor) : now
        let toAlertmanager = settings.alertmanagers.map { base in
            OutboxMessage(
                channel: "alertmanager", destination: Self.alertsEndpoint(of: base),
                body: Self.json([Self.alertmanagerAlert(alert, endsAt: endsAt)]), createdAt: now)
        }
        let toWebhooks = settings.webhooks.map { url in
            OutboxMessage(
                channel: "webhook", destination: url.absoluteString,
                body: Self.json(webhookPayload(kind, alert, endsAt: endsAt)), createdAt: now)
        }
        return toAlertmanager + toWebhooks
    }

    /// One message per Alertmanager with every firing alert, replacing any such resend not yet sent.
    public func resend(_ firing: [AlertRecord], now: Timestamp) -> [OutboxMessage] {
        guard !firing.isEmpty else { return [] }
        let body = Self.json(firing.map { Self.alertmanagerAlert($0, endsAt: now.adding(firingFor)) })
        return settings.alertmanagers.map { base in
            OutboxMessage(
                channel: "alertmanager", destination: Self.alertsEndpoint(of: base), body: body, createdAt: now,
                replaces: "resend")
        }
    }

    static func alertsEndpoint(of base: URL) -> String {
        let text = base.absoluteString
        return (text.hasSuffix("/") ? String(text.dropLast()) : text) + "/api/v2/alerts"
    }

    static func alertmanagerAlert(_ alert: AlertRecord, endsAt: Timestamp) -> [String: Any] {
        [
            "labels": alert.labels, "annotations": alert.annotations, "startsAt": alert.startsAt.iso8601,
            "endsAt": endsAt.iso8601, "generatorURL": alert.generatorURL,
        ]
    }

    func webhookPayload(_ kind: AlertTransition.Kind, _ alert: AlertRecord, endsAt: Timestamp) -> [String: Any] {
        let status = kind == .fired ? "firing" : "resolved"
        let name = alert.labels["alertname"] ?? ""
        // A zero time marks a firing alert's end as unknown, as Alertmanager writes it.
        let end = kind == .fired ? "0001-01-01T00:00:00Z" : endsAt.iso8601
        return [
            "version": "4", "groupKey": "{}:{alertname=\(Self.quotedLabelValue(name))}", "truncatedAlerts": 0,
            "status": status, "receiver": "sluice", "groupLabels": ["alertname": name],
            "commonLabels": alert.labels, "commonAnnotations": alert.annotations, "externalURL": externalURL,
            "alerts": [
                [
                    "status": status, "labels": alert.labels, "annotations": alert.annotations,
                    "startsAt": alert.startsAt.iso8601, "endsAt": end, "generatorURL": alert.generatorURL,
                    "fingerprint": alert.fingerprint,
                ] as [String: Any]
            ],
        ]
    }

    /// A label value as Alertmanager writes it in a group key: double-quoted, with `\` and `"` escaped.
    static func quotedLabelValue(_ value: String) -> String {
        "\"" + value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
    }

    static func json(_ value: Any) -> Data {
        // The values are strings, numbers, lists and maps built above: serialization cannot fail.
        (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
    }
}
