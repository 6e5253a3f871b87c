/// One gate result kept with its history: which data it judged, where, and the full report.
public struct CheckRun: Hashable, Sendable, Codable {
    public var id: String
    public var dataset: DatasetName
    public var environment: String
    /// The version that landed, when something landed.
    public var version: ObjectID?
    /// The quarantine batch that holds what did not land, if any.
    public var quarantine: String?
    public var origin: String
    public var passed: Bool
    public var report: ValidationReport
    public var at: Timestamp
    /// The digest of the contract the data was judged against (`Dataset.contractDigest`); `nil` in results
    /// recorded before it was kept. Promotion into a protected environment trusts only a result judged
    /// against the contract of the commit being promoted.
    public var contractDigest: String?
    /// The project's git commit when it was judged, `-dirty` when the work tree had changes.
    public var gitCommit: String?

    public init(
        id: String, dataset: DatasetName, environment: String, version: ObjectID?, quarantine: String?, origin: String,
        passed: Bool, report: ValidationReport, at: Timestamp, contractDigest: String? = nil, gitCommit: String? = nil
    ) {
        self.contractDigest = contractDigest
        self.gitCommit = gitCommit
        self.id = id
        self.dataset = dataset
        self.environment = environment
        self.version = version
        self.quarantine = quarantine
        self.origin = origin
        self.passed = passed
        self.report = report
        self.at = at
    }
}

extension CheckRun {
    /// The audit action that vouches for a gate result, written with it in one transaction.
    public static let auditAction = "gate.judge"

    /// The hash of the result as kept, which its `gate.judge` event seals.
    public func auditDigest() throws -> String { ObjectID.hashing(try CanonicalJSON.encode(self)).hex }

    /// The `gate.judge` event that vouches for this result.
    public func auditDraft(by identity: Identity, at time: Timestamp) throws -> AuditDraft {
        var details = [
            "dataset": dataset.description, "environment": environment, "passed": "\(passed)",
            "digest": try auditDigest(),
        ]
        details["version"] = version?.hex
        return AuditDraft(
            time: time, principal: identity.name, authentication: identity.authentication, action: Self.auditAction,
            target: id, outcome: passed ? .succeeded : .failed, details: details)
    }

    /// Why the chain does not vouch for this result as kept, or `nil`: `events` are the `gate.judge`
    /// events naming it.
    public func unvouched(by events: [AuditEvent]) throws -> String? {
        guard let event = events.last else {
            return "gate result \(id) of \(dataset) was never recorded by an audited judgement"
        }
        guard event.draft.details["digest"] == (try auditDigest()) else {
            return
                "gate result \(id) of \(dataset) was changed after it was judged (it no longer matches its audit event)"
        }
        return nil
    }
}

/// Data held back by a gate: a whole rejected batch, or the invalid rows of an accepted one. Lives in the
/// store outside every environment, with its own lifecycle.
public struct QuarantineBatch: Hashable, Sendable, Codable {
    public enum Kind: String, Sendable, Codable {
        /// The whole batch was refused; `files` are the original files.
        case rejected
        /// Only invalid rows; `files` holds one JSON Lines file of `{file, line, failed, record}`.
        case rows
    }

    public var id: String
    public var kind: Kind
    public var dataset: DatasetName
    public var environment: String
    public var origin: String
    public var reason: String
    public var rows: Int64
    public var files: [ManifestFile]
    public var format: DataFormat
    public var at: Timestamp
    public var by: String

    public init(
        id: String, kind: Kind, dataset: DatasetName, environment: String, origin: String, reason: String, rows: Int64,
        files: [ManifestFile], format: DataFormat, at: Timestamp, by: String
    ) {
        self.id = id
        self.kind = kind
        self.dataset = dataset
        self.environment = environment
        self.origin = origin
        self.reason = reason
        self.rows = rows
        self.files = files
        self.format = format
        self.at = at
        self.by = by
    }
}
