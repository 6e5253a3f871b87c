import SluiceCore

extension InMemoryMetadataStore {
    public func enqueue(_ messages: [OutboxMessage]) {
        for message in messages { queue(message) }
    }

    public func claimOutbox(now: Timestamp, lease: TimeSpan, limit: Int) -> [OutboxMessage] {
        var oldest: [String: OutboxMessage] = [:]
        for message in outbox where oldest[message.destination] == nil { oldest[message.destination] = message }
        let due = oldest.values.filter { $0.nextAttemptAt <= now }.sorted { $0.id < $1.id }.prefix(limit)
        for message in due { update(message.id) { $0.nextAttemptAt = now.adding(lease) } }
        return Array(due)
    }

    public func settleOutbox(_ id: Int64, _ settlement: OutboxSettlement) {
        switch settlement {
        case .delivered, .dropped: removeOutbox { $0.id == id }
        case .retry(let at, let error):
            update(id) {
                $0.attempts += 1
                $0.nextAttemptAt = at
                $0.lastError = error
            }
        }
    }

    public func pendingOutbox() -> [OutboxMessage] { outbox }

    public func firingAlerts() -> [AlertRecord] {
        alerts.values.sorted { ($0.startsAt, $0.fingerprint) < ($1.startsAt, $1.fingerprint) }
    }

    public func applyAlertTransitions(_ transitions: [AlertTransition]) -> [AlertTransition] {
        transitions.filter { transition in
            let fingerprint = transition.alert.fingerprint
            switch transition.kind {
            case .fired:
                guard alerts[fingerprint] == nil else { return false }
                alerts[fingerprint] = transition.alert
            case .resolved:
                guard alerts.removeValue(forKey: fingerprint) != nil else { return false }
            case .updated:
                guard alerts[fingerprint] != nil else { return false }
                alerts[fingerprint] = transition.alert
            }
            enqueue(transition.messages)
            return true
        }
    }
}
