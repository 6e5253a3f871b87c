import Foundation

/// What a collection deletes (or, in a dry run, would delete), and why.
public struct GCReport: Sendable, Codable, Hashable {
    public struct ExpiredEnvironment: Sendable, Codable, Hashable {
        public var name: String
        /// The rule that expires it, e.g. `expire_after_idle 7d`.
        public var rule: String
        public var lastUsedAt: Timestamp
        public var idleSeconds: Int64
        public var createdAt: Timestamp
        /// Whether it was deleted (a dry run, or a use racing the collector, leaves it).
        public var deleted: Bool
    }

    public struct DeletedObject: Sendable, Codable, Hashable {
        public var id: ObjectID
        public var bytes: Int64
        public var writtenAt: Timestamp
    }

    /// A run record or quarantined batch past its lifecycle.
    public struct ExpiredRecord: Sendable, Codable, Hashable {
        public var id: String
        public var rule: String
        public var at: Timestamp
        public var deleted: Bool
    }

    /// A dataset version retention lets go: its objects are swept, commits keep naming it as history.
    public struct RetiredVersion: Sendable, Codable, Hashable {
        public var dataset: String
        public var version: ObjectID
        public var rule: String
        public var createdAt: Timestamp
    }

    public var dryRun: Bool
    /// When marking started; objects written within `grace` before it are kept whatever refers to them.
    public var markedAt: Timestamp
    public var grace: TimeSpan
    public var environments: [ExpiredEnvironment]
    public var versions: [RetiredVersion]
    public var runs: [ExpiredRecord]
    public var quarantines: [ExpiredRecord]
    /// Objects nothing kept refers to.
    public var objects: [DeletedObject]
    public var bytes: Int64
    /// Objects kept: referenced, or too recent to judge.
    public var keptReferenced: Int
    public var keptRecent: Int
    /// Staged files that writers killed before publishing left behind, past the grace period.
    public var staleStagingFiles: Int = 0
    public var staleStagingBytes: Int64 = 0
}

/// Lifecycles and garbage collection: expiring environments, letting versions go, deleting unreferenced objects.
public struct CollectorService: UseCase {
    public let context: EngineContext

    public init(context: EngineContext) { self.context = context }

    /// When an environment expires under its lifecycle (or its `--ttl`), and by which rule; `nil` for a
    /// protected environment or one whose lifecycle never expires it.
    public func expiry(of record: EnvironmentRecord) -> (at: Timestamp, rule: String)? {
        let spec = project.environmentSpec(for: record.name)
        guard !policy.isProtected(record.name) else { return nil }
        let lifecycle = spec?.effectiveLifecycle
        var result: (at: Timestamp, rule: String)?
        if let ttl = record.ttl {
            result = (record.lastUsedAt.adding(ttl), "--ttl \(ttl) idle")
        } else if let idle = lifecycle?.expireAfterIdle {
            result = (record.lastUsedAt.adding(idle), "expire_after_idle \(idle)")
        }
        if let life = lifecycle?.expireAfter {
            let byAge = record.createdAt.adding(life)
            if result == nil || byAge < result!.at { result = (byAge, "expire_after \(life)") }
        }
        return result
    }

    /// Garbage collection, mark then sweep. First, environments past their lifecycle lose their refs (each
    /// only if nobody used or moved it since it was judged). Then everything still kept is marked: every
    /// commit reachable from a remaining environment and its versions' objects, every run record's outputs
    /// and logs (so a run in progress or one to resume keeps its work), and every quarantined batch. Last,
    /// objects that nothing marked and that were written before `markedAt - grace` are deleted. Each
    /// deletion is audited. Safe to interrupt and to run again: it only ever deletes what nothing kept
    /// refers to, and what it left undone the next collection finds again.
    /// A collection (not a dry run) is audited as a whole too, `gc` succeeded or failed, so that a failing
    /// one can be alerted on.
    public func collectGarbage(dryRun: Bool, grace: TimeSpan = TimeSpan(seconds: 3_600)) async throws -> GCReport {
        do {
            let report = try await collect(dryRun: dryRun, grace: grace)
            if !dryRun {
                try await record(
                    "gc", target: "store", outcome: .succeeded,
                    details: ["objects": "\(report.objects.count)", "bytes": "\(report.bytes)"])
            }
            return report
        } catch let error as AccessDenied {
            throw error
        } catch {
            if !dryRun {
                let reason = (error as? any SluiceError)?.auditReason ?? "\(error)"
                try? await record("gc", target: "store", outcome: .failed, details: ["reason": reason])
            }
            throw error
        }
    }

    /// Whether the caller holds the grants a collection needs (a page says so instead of being refused).
    public func mayCollectGarbage() async throws -> Bool {
        permissions(over: try await metadata.environments()).allSatisfy(visibility.holds)
    }

    /// Protected environments never expire, so deleting needs a grant on the others only.
    private func permissions(over environments: [EnvironmentRecord]) -> [Permission] {
        environments.filter { !policy.isProtected($0.name) }.map { .environment(.delete, $0.name) }
            + [.environment(.delete, project.defaultEnvironment)]
    }

    private func collect(dryRun: Bool, grace: TimeSpan) async throws -> GCReport {
        let environments = try await metadata.environments()
        try await authorize(permissions(over: environments), action: "gc", target: "store")
        let now = self.now()
        // A run still beating holds its staging environment; an abandoned one (its process gone) does not.
        let running = Set(
            try await metadata.runs(pipeline: nil).filter { $0.status == .running && !$0.isAbandoned(at: now) }.map(
                \.workEnvironment))
        var report = GCReport(
            dryRun: dryRun, markedAt: now, grace: grace, environments: [], versions: [], runs: [], quarantines: [],
            objects: [],
            bytes: 0, keptReferenced: 0, keptRecent: 0)
        var expiring = Set<String>()
        for record in environments where !running.contains(record.name) {
            guard let (at, rule) = expiry(of: record) else { continue }
            guard at <= now else {
                if at.milliseconds - now.milliseconds <= 7 * 86_400_000 {
                    // Announced before it happens.
                    logger.notice(
                        "environment \(record.name) expires at \(at) by \(rule) unless it is used",
                        metadata: ["event.action": "environment-expiring", "environment": "\(record.name)"])
                }
                continue
            }
            var entry = GCReport.ExpiredEnvironment(
                name: record.name, rule: rule, lastUsedAt: record.lastUsedAt,
                idleSeconds: (now.milliseconds - record.lastUsedAt.milliseconds) / 1000, createdAt: record.createdAt,
                deleted: false)
            if !dryRun {
                entry.deleted = try await metadata.deleteEnvironment(record)
                if entry.deleted {
                    try await self.record(
                        "gc.expire", target: record.name, outcome: .succeeded,
                        details: [
                            "rule": rule, "idle_days": "\(entry.idleSeconds / 86_400)",
                            "head": record.head?.hex ?? "empty",
                        ])
                }
            }
            if dryRun || entry.deleted { expiring.insert(record.name) }
            report.environments.append(entry)
        }
        // Run records and quarantined batches past their lifecycles.
        let runs = try await metadata.runs(pipeline: nil)
        for (run, rule) in Self.expired(
            runs.filter { $0.status != .running || $0.isAbandoned(at: now) }, lifecycle: project.runsLifecycle,
            now: now,
            group: \.pipeline, time: { $0.endedAt ?? $0.startedAt })
        {
            var entry = GCReport.ExpiredRecord(id: run.id, rule: rule, at: run.endedAt ?? run.startedAt, deleted: false)
            if !dryRun {
                entry.deleted = try await metadata.deleteRun(run.id)
                if entry.deleted {
                    try await record(
                        "gc.expire-run", target: run.id, outcome: .succeeded,
                        details: ["rule": rule, "pipeline": run.pipeline, "status": run.status.rawValue])
                }
            }
            report.runs.append(entry)
        }
        for (batch, rule) in Self.expired(
            try await metadata.quarantines(), lifecycle: project.quarantineLifecycle, now: now,
            group: \.dataset.description, time: \.at)
        {
            var entry = GCReport.ExpiredRecord(id: batch.id, rule: rule, at: batch.at, deleted: false)
            if !dryRun {
                entry.deleted = try await metadata.deleteQuarantine(batch.id)
                if entry.deleted {
                    try await record(
                        "gc.expire-quarantine", target: batch.id, outcome: .succeeded,
                        details: ["rule": rule, "dataset": batch.dataset.description, "rows": "\(batch.rows)"])
                }
            }
            report.quarantines.append(entry)
        }
        // Dataset versions past keep_versions / keep_days that nothing kept needs any more. They are
        // recorded as let go before their objects are swept, so an interrupted collection leaves history
        // that `sluice verify` accepts.
        // One walk of what is kept serves both retention and marking.
        let reach = try await keptReach(
            excluding: dryRun ? expiring : [], runs: dryRun ? Set(report.runs.map(\.id)) : [])
        report.versions = try await retiredVersions(reach, now: now)
        if !dryRun && !report.versions.isEmpty {
            // Audited first: a version is recorded as let go only once its event is in the chain, which every
            // later collection checks each such record against.
            for version in report.versions {
                try await record(
                    "gc.retire", target: "\(version.dataset)@\(version.version.hex)", outcome: .succeeded,
                    details: ["rule": version.rule, "created": version.createdAt.iso8601])
            }
            try await metadata.markCollected(report.versions.map(\.version), at: now)
        }
        await checkpoint("gc.mark")
        // Mark. Marking starts after the expiries, from the store as it now is.
        report.markedAt = self.now()
        let marked = try await markedObjects(
            reach, quarantines: dryRun ? Set(report.quarantines.map(\.id)) : [],
            retired: Set(report.versions.map(\.version)))
        let cutoff = report.markedAt.milliseconds - grace.milliseconds
        let judged = Timestamp(milliseconds: cutoff)
        let (unmarked, orphanMarks) = try await judge(&report, marked: marked, cutoff: judged)
        (report.staleStagingFiles, report.staleStagingBytes) = try await objects.sweepStaging(
            writtenBefore: judged, dryRun: dryRun)
        guard !dryRun else { return report }
        // Objects no writer marked (stored before marks were kept) are marked now: judged after the grace.
        _ = try await metadata.markWritten(unmarked, at: report.markedAt)
        if report.staleStagingFiles > 0 {
            try await record(
                "gc.delete-staging", target: "tmp", outcome: .succeeded,
                details: ["files": "\(report.staleStagingFiles)", "bytes": "\(report.staleStagingBytes)"])
        }
        await checkpoint("gc.inventoried")
        let swept = try await sweep(report.objects, judged: judged)
        try await dropOrphanMarks(orphanMarks, judged: judged)
        report.keptRecent += report.objects.count - swept.count
        report.objects = swept
        report.bytes = swept.reduce(0) { $0 + $1.bytes }
        EngineMetrics.collected(report)
        return report
    }

    /// Records a lifecycle lets go: older than `keep_days` and not among the newest `keep_versions` of
    /// their group. `keep: forever` (or no lifecycle) keeps everything.
    static func expired<Record>(
        _ records: [Record], lifecycle: Lifecycle?, now: Timestamp, group: (Record) -> String,
        time: (Record) -> Timestamp
    ) -> [(Record, String)] {
        guard let lifecycle, !lifecycle.keepForever, lifecycle.keepDays != nil || lifecycle.keepVersions != nil else {
            return []
        }
        var result: [(Record, String)] = []
        for (_, members) in Dictionary(grouping: records, by: group) {
            let newestFirst = members.sorted { time($0) > time($1) }
            for (rank, record) in newestFirst.enumerated() {
                if let keep = lifecycle.keepVersions, rank < keep { continue }
                let age = now.milliseconds - time(record).milliseconds
                if let days = lifecycle.keepDays, age < Int64(days) * 86_400_000 { continue }
                let rule = [
                    lifecycle.keepDays.map { "keep_days \($0)" }, lifecycle.keepVersions.map { "keep_versions \($0)" },
                ].compactMap { $0 }.joined(separator: ", ")
                result.append((record, rule))
            }
        }
        return result.sorted { time($0.0) < time($1.0) }
    }

    /// What the kept environments and run records reach: each dataset's versions in the environments'
    /// histories, the versions environments hold now, those a protected environment's history reaches,
    /// and the versions and logs of kept run records.
    struct Reach {
        var history: [String: Set<ObjectID>] = [:]
        var current = Set<ObjectID>()
        var protected = Set<ObjectID>()
        var runVersions = Set<ObjectID>()
        var runLogs = Set<ObjectID>()
    }

    private func keptReach(excluding expiring: Set<String>, runs expiredRuns: Set<String>) async throws -> Reach {
        var reach = Reach()
        let graph = CommitGraph(metadata: metadata)
        var walked = Set<ObjectID>()
        // Protected environments first, so a commit they share with others counts as protected.
        let environments = try await metadata.environments().filter { !expiring.contains($0.name) }
            .sorted { policy.isProtected($0.name) && !policy.isProtected($1.name) }
        for record in environments {
            guard let head = record.head else { continue }
            if let commit = try await metadata.commit(head) { reach.current.formUnion(commit.content.datasets.values) }
            let isProtected = policy.isProtected(record.name)
            for id in try await graph.ancestors(of: head).keys where walked.insert(id).inserted {
                guard let commit = try await metadata.commit(id) else { continue }
                for (dataset, version) in commit.content.datasets {
                    if isProtected { reach.protected.insert(version) }
                    reach.history[dataset, default: []].insert(version)
                }
            }
        }
        for run in try await metadata.runs(pipeline: nil) where !expiredRuns.contains(run.id) {
            for step in run.steps {
                reach.runVersions.formUnion(step.outputs.values)
                reach.runVersions.formUnion(step.inputs.values)
                for attempt in step.attempts {
                    if let log = attempt.stdout { reach.runLogs.insert(log) }
                    if let log = attempt.stderr { reach.runLogs.insert(log) }
                }
            }
        }
        return reach
    }

    /// Versions in kept environments' histories that their dataset's lifecycle lets go: beyond the newest
    /// `keep_versions` and older than `keep_days`, ranked among all the dataset's versions. Never an
    /// environment's current version, anything a protected environment reaches, or anything a kept run
    /// record names.
    private func retiredVersions(_ reach: Reach, now: Timestamp) async throws -> [GCReport.RetiredVersion] {
        let collected = try await metadata.collectedVersions()
        var retired: [GCReport.RetiredVersion] = []
        for (dataset, versions) in reach.history.sorted(by: { $0.key < $1.key }) {
            guard let name = DatasetName(dataset), let lifecycle = project.lifecycle(of: name), !lifecycle.keepForever,
                lifecycle.keepVersions != nil || lifecycle.keepDays != nil
            else { continue }
            var stored: [DatasetVersion] = []
            for id in versions where collected[id] == nil {
                if let version = try await metadata.version(id) { stored.append(version) }
            }
            for (version, rule) in Self.expired(
                stored, lifecycle: lifecycle, now: now, group: { _ in dataset }, time: \.createdAt)
            where !reach.current.contains(version.id) && !reach.protected.contains(version.id)
                && !reach.runVersions.contains(version.id)
            {
                retired.append(.init(dataset: dataset, version: version.id, rule: rule, createdAt: version.createdAt))
            }
        }
        return retired
    }

    /// Every object something kept refers to: kept versions (not let go), run logs, kept quarantined batches.
    private func markedObjects(
        _ reach: Reach, quarantines expiredBatches: Set<String>, retired: Set<ObjectID>
    )
        async throws -> Set<ObjectID>
    {
        var marked = reach.runLogs
        let gone = try await auditedCollected(reach).union(retired)
        let versions = reach.history.values.reduce(into: reach.runVersions) { $0.formUnion($1) }
        for version in versions.subtracting(gone) {
            marked.insert(version)  // the manifest object is stored under the version id
            guard let stored = try await metadata.version(version) else { continue }
            for file in stored.manifest.files { for chunk in file.chunks { marked.insert(chunk.object) } }
        }
        for batch in try await metadata.quarantines() where !expiredBatches.contains(batch.id) {
            for file in batch.files { for chunk in file.chunks { marked.insert(chunk.object) } }
        }
        return marked
    }

    /// The versions earlier collections let go, each checked against the chain before any object goes: a
    /// record without its `gc.retire` event, or naming a version an environment holds now or a protected one
    /// ever held, was written behind Sluice's back, and the collection stops before deleting anything.
    private func auditedCollected(_ reach: Reach) async throws -> Set<ObjectID> {
        let collected = Set(try await metadata.collectedVersions().keys)
        guard !collected.isEmpty else { return [] }
        var audited = Set<String>()
        var page = PageRequest(limit: PageRequest.maximumLimit)
        while true {
            let events = try await metadata.auditEvents(
                AuditFilter(action: "gc.retire", outcome: .succeeded), page: page)
            audited.formUnion(events.items.compactMap(Self.retiredVersion))
            guard let next = events.next else { break }
            page = PageRequest(limit: PageRequest.maximumLimit, after: next)
        }
        for id in collected.sorted(by: { $0.hex < $1.hex }) {
            guard audited.contains(id.hex) else {
                throw TamperedRecord("version \(id.short) is recorded as let go, but no audited collection let it go")
            }
            guard !reach.current.contains(id), !reach.protected.contains(id) else {
                throw TamperedRecord("version \(id.short) is recorded as let go, but an environment still holds it")
            }
        }
        return collected
    }

    /// The version (hex) a `gc.retire` event let go: its target is `DATASET@VERSION`.
    static func retiredVersion(_ event: AuditEvent) -> String? {
        event.draft.target.lastIndex(of: "@").map { String(event.draft.target[event.draft.target.index(after: $0)...]) }
    }
}
