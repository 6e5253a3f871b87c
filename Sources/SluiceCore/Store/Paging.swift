/// One page of a list, newest first: at most `limit` items after the cursor a previous page returned.
public struct PageRequest: Sendable, Hashable {
    public static let maximumLimit = 1000
    public var limit: Int
    /// The `next` of the previous page; `nil` for the first page.
    public var after: String?

    /// `limit` is kept within 1…1000.
    public init(limit: Int = 100, after: String? = nil) {
        self.limit = min(max(1, limit), Self.maximumLimit)
        self.after = after
    }

    /// The position the cursor names (a sequence number); `nil` for the first page, and an error for a
    /// cursor no page returned.
    public func position() throws -> Int64? {
        guard let after else { return nil }
        guard let value = Int64(after), value >= 0 else {
            throw UsageError("\(NameRules.quoted(after)) is not a page cursor", hint: "pass the next value of a page")
        }
        return value
    }
}

/// Items of one page, and the cursor of the next (`nil` on the last page).
public struct Page<Item: Sendable>: Sendable {
    public var items: [Item]
    public var next: String?

    public init(items: [Item], next: String?) {
        self.items = items
        self.next = next
    }

    /// The page of `limit` items from candidates already in order (each with its sequence number), fetched
    /// one beyond the limit to know whether another page follows.
    public static func of(_ candidates: [(sequence: Int64, item: Item)], limit: Int) -> Page {
        let items = candidates.prefix(limit)
        let next = candidates.count > limit ? items.last.map { String($0.sequence) } : nil
        return Page(items: items.map(\.item), next: next)
    }
}

extension Page: Encodable where Item: Encodable {}
extension Page: Decodable where Item: Decodable {}
extension Page: Equatable where Item: Equatable {}
extension Page: Hashable where Item: Hashable {}

/// Which runs a list shows.
public struct RunFilter: Sendable, Hashable {
    public var pipeline: String?
    public var status: RunStatus?
    /// The environment the run was started for.
    public var environment: String?
    /// Who started it.
    public var principal: String?
    /// Runs that started at or after this moment.
    public var startedSince: Timestamp?

    public init(
        pipeline: String? = nil, status: RunStatus? = nil, environment: String? = nil, principal: String? = nil,
        startedSince: Timestamp? = nil
    ) {
        self.pipeline = pipeline
        self.status = status
        self.environment = environment
        self.principal = principal
        self.startedSince = startedSince
    }

    public func matches(_ run: RunRecord) -> Bool {
        (pipeline == nil || run.pipeline == pipeline) && (status == nil || run.status == status)
            && (environment == nil || run.environment == environment)
            && (principal == nil || run.principal == principal)
            && (startedSince.map { run.startedAt >= $0 } ?? true)
    }
}

/// Which audit events a list shows.
public struct AuditFilter: Sendable, Hashable {
    public var action: String?
    public var principal: String?
    public var outcome: AuditOutcome?
    public var target: String?
    /// Events at or after this moment.
    public var since: Timestamp?

    public init(
        action: String? = nil, principal: String? = nil, outcome: AuditOutcome? = nil, target: String? = nil,
        since: Timestamp? = nil
    ) {
        self.action = action
        self.principal = principal
        self.outcome = outcome
        self.target = target
        self.since = since
    }

    public func matches(_ event: AuditEvent) -> Bool {
        (action == nil || event.draft.action == action) && (since.map { event.draft.time >= $0 } ?? true)
            && (principal == nil || event.draft.principal == principal)
            && (outcome == nil || event.draft.outcome == outcome) && (target == nil || event.draft.target == target)
    }
}
