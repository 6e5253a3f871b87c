/// An environment as listed: the stored record (or the implicit empty one) with what the project says of it.
public struct EnvironmentSummary: Sendable, Codable, Hashable {
    public var name: String
    public var head: ObjectID?
    public var protected: Bool
    public var lifecycle: String
    public var createdAt: Timestamp?
    public var createdBy: String?
    public var base: String?
    public var lastUsedAt: Timestamp?
    /// When it expires if nobody uses it, by its idle TTL or its lifetime.
    public var expiresAt: Timestamp?
    public var datasets: Int
}

/// Environments: create (zero-copy), delete, list, and when each expires.
public struct EnvironmentService: UseCase {
    public let context: EngineContext

    public init(context: EngineContext) { self.context = context }

    /// Creates `name` pointing at the same commit as `source`: zero-copy, nothing but a ref is written.
    public func createEnvironment(
        _ name: String, from source: String, ttl: TimeSpan?
    ) async throws -> EnvironmentSummary {
        let name = try validEnvironmentName(name)
        let source = try validEnvironmentName(source)
        return try await audited("env.create", target: name, details: ["from": source]) {
            guard project.environmentSpec(for: name) != nil else {
                throw UsageError(
                    "no environment declaration matches \(name), so it would have no lifecycle",
                    hint:
                        "declare it (or a pattern such as \"sandbox/*\") under environments: in sluice.yaml with a lifecycle"
                )
            }
            try await requireWritable(name, from: source)
            let base = try await environmentRecord(source)
            let record = EnvironmentRecord(
                name: name, head: base.head, createdAt: now(), createdBy: identity.name, base: source, ttl: ttl)
            do {
                try await metadata.createEnvironment(
                    record, audit: inlineAudit(ref: name, head: base.head, ["ttl": ttl?.description ?? "declared"]))
            } catch let conflict as ConflictError {
                throw ConflictError("\(conflict.message); choose another name or use the existing environment")
            }
            try await metadata.touchEnvironment(source, at: now())
            let details = ["head": base.head?.hex ?? "empty", "ttl": ttl?.description ?? "declared"]
            return (try await summary(of: record), details)
        }
    }

    /// Deletes an environment's ref, only if nobody moved or used it meanwhile (compare-and-delete); its
    /// history stays, its data is collected by gc. Needs `delete` on it; protected environments are never
    /// deleted, and neither is one a running run works in.
    public func deleteEnvironment(_ name: String) async throws -> EnvironmentRecord {
        let name = try validEnvironmentName(name)
        return try await audited("env.delete", target: name) {
            try await authorize(.environment(.delete, name))
            if policy.isProtected(name) {
                try await authorize(
                    .refused(
                        "\(name) is protected and is never deleted",
                        remedy: "unprotect it in sluice.yaml first (a reviewed change), if it really must go"))
            }
            guard let record = try await metadata.environment(name) else {
                throw UsageError.notFound(
                    "no stored environment \(NameRules.quoted(name))", hint: "sluice env list shows them")
            }
            try await requireNoRun(in: name)
            guard try await metadata.deleteEnvironment(record) else {
                throw ConflictError("\(name) changed while it was being deleted; look again and retry")
            }
            return (record, ["head": record.head?.hex ?? "empty"])
        }
    }

    /// Puts a working environment back on another's head (`sluice env reset ENV --to OTHER`): audited, with
    /// `write` on it and `read` on the other; never a protected environment, nor one a run works in. What it
    /// held stays in its history (and gc frees what nothing else holds).
    public func resetEnvironment(_ name: String, to other: String) async throws -> EnvironmentSummary {
        let name = try validEnvironmentName(name)
        let other = try validEnvironmentName(other)
        return try await audited("env.reset", target: name, details: ["to": other]) {
            try await requireWritable(name, from: other)
            let record = try await environmentRecord(name)
            guard let head = try await environmentRecord(other).head else {
                throw UsageError("\(other) holds no data yet; there is nothing to reset \(name) to")
            }
            try await requireNoRun(in: name)
            if record.head != head {
                try await moveEnvironment(
                    record, to: head, reason: "reset to \(other)", gitCommit: await recordedGitCommit(),
                    details: ["previous": record.head?.hex ?? "empty"])
            }
            guard let moved = try await metadata.environment(name) else {
                throw InternalError("\(name) vanished while it was reset")
            }
            return (try await summary(of: moved), ["head": head.hex, "previous": record.head?.hex ?? "empty"])
        }
    }

    /// Writing `name` from `source` needs `write` on it and `read` on the source; a protected environment is
    /// created and moved only by promotion.
    private func requireWritable(_ name: String, from source: String) async throws {
        try await authorize(.environment(.read, source), .environment(.write, name))
        if policy.isProtected(name) {
            try await authorize(
                .refused(
                    "\(name) is protected; it is created and moved only by sluice promote",
                    remedy: "promote into it: sluice promote --from \(source) --to \(name)"))
        }
    }

    private func requireNoRun(in name: String) async throws {
        if let run = try await metadata.runs(pipeline: nil).first(where: {
            $0.status == .running && $0.workEnvironment == name
        }) {
            throw ConflictError("run \(run.id) is working in \(name); wait for it or cancel it first")
        }
    }

    /// Every stored environment plus the declared concrete ones not used yet.
    public func listEnvironments() async throws -> [EnvironmentSummary] {
        var summaries: [EnvironmentSummary] = []
        for name in try await knownEnvironmentNames() {
            // One lookup: a stored record, else the implicit empty one of a declared name.
            let stored = try await metadata.environment(name)
            let record: EnvironmentRecord
            if let stored { record = stored } else { record = try await environmentRecord(name) }
            summaries.append(try await summary(of: record, stored: stored != nil))
        }
        return summaries
    }

    func summary(of record: EnvironmentRecord, stored: Bool = true) async throws -> EnvironmentSummary {
        let spec = project.environmentSpec(for: record.name)
        let lifecycle = spec?.effectiveLifecycle
        let expiresAt = CollectorService(context: context).expiry(of: record)?.at
        let commit = try await headCommit(of: record)
        var lifecycleText = lifecycle?.summary ?? "none"
        if let ttl = record.ttl { lifecycleText = "expire after \(ttl) idle (--ttl)" }
        return EnvironmentSummary(
            name: record.name, head: record.head, protected: policy.isProtected(record.name), lifecycle: lifecycleText,
            createdAt: stored ? record.createdAt : nil, createdBy: stored ? record.createdBy : nil, base: record.base,
            lastUsedAt: stored ? record.lastUsedAt : nil, expiresAt: stored ? expiresAt : nil,
            datasets: commit?.content.datasets.count ?? 0)
    }
}
