/// The sweep: objects nothing kept refers to and no writer marked since the cutoff are deleted under a
/// deletion lease taken in the metadata, which a writer marking the same bytes waits out.
extension CollectorService {
    /// How long a collection holds the objects of one batch for deletion: writers of the same bytes (and a
    /// collection run again) wait at most this long if the collector dies holding them.
    static let deletionLease = TimeSpan(seconds: 15)
    /// A batch stops deleting once this much of its lease has gone, leaving the rest for the next
    /// collection, so that no deletion can happen after a lease a writer has waited out: ten seconds of
    /// margin for a clock step or a stalled call.
    static let deletionBudget = TimeSpan(seconds: 5)
    static let sweepBatch = 200

    /// Sorts the inventory into referenced, recent and garbage (appended to `report.objects`); returns the
    /// objects no writer ever marked, which count as recent, and the marks older than `cutoff` of objects the
    /// store does not hold (a writer that died between marking and publishing).
    func judge(
        _ report: inout GCReport, marked: Set<ObjectID>, cutoff: Timestamp
    ) async throws
        -> (unmarked: [ObjectID], orphanMarks: [ObjectID])
    {
        var marks = try await metadata.objectMarks()
        var unmarked: [ObjectID] = []
        for object in try await objects.inventory() {
            defer { marks[object.id] = nil }
            if marked.contains(object.id) {
                report.keptReferenced += 1
            } else if let writtenAt = marks[object.id], writtenAt < cutoff {
                report.objects.append(.init(id: object.id, bytes: object.bytes, writtenAt: writtenAt))
                report.bytes += object.bytes
            } else {
                report.keptRecent += 1
                if marks[object.id] == nil { unmarked.append(object.id) }
            }
        }
        return (unmarked, marks.filter { $0.value < cutoff }.map(\.key))
    }

    /// Drops marks of objects that were never stored, under a lease like any deletion: a writer marking one
    /// again meanwhile keeps its mark.
    func dropOrphanMarks(_ ids: [ObjectID], judged: Timestamp) async throws {
        guard !ids.isEmpty else { return }
        let start = now()
        let leased = try await metadata.leaseForDeletion(
            ids, writtenBefore: judged, now: start, until: start.adding(Self.deletionLease))
        try await metadata.endDeletion(deleted: Array(leased), kept: [])
    }

    /// Deletes `garbage` in audited batches (the event names the objects before they go), each under a
    /// lease on objects still last written before `judged`: one marked again since it was judged (a racing
    /// ingest of identical bytes) is not leased, stays, and is named in a `gc.keep` event.
    func sweep(_ garbage: [GCReport.DeletedObject], judged: Timestamp) async throws -> [GCReport.DeletedObject] {
        var swept: [GCReport.DeletedObject] = []
        for start in stride(from: 0, to: garbage.count, by: Self.sweepBatch) {
            let batch = Array(garbage[start..<min(start + Self.sweepBatch, garbage.count)])
            try await record(
                "gc.delete", target: "objects", outcome: .succeeded,
                details: [
                    "count": "\(batch.count)", "bytes": "\(batch.reduce(0) { $0 + $1.bytes })",
                    "objects": batch.map(\.id.hex).joined(separator: " "),
                ])
            let (deleted, notLeased, leftOver) = try await deleteLeased(batch.map(\.id), judged: judged)
            try await recordKept(
                notLeased, reason: "written again after they were judged, or held by a collection still deleting them")
            try await recordKept(leftOver, reason: "left for the next collection: the deletion lease ran short")
            swept += batch.filter { deleted.contains($0.id) }
        }
        return swept
    }

    /// Leases `ids`, deletes those leased while the lease has time left, and ends the lease.
    private func deleteLeased(
        _ ids: [ObjectID], judged: Timestamp
    ) async throws
        -> (deleted: Set<ObjectID>, notLeased: [ObjectID], leftOver: [ObjectID])
    {
        let start = now()
        let leased = try await metadata.leaseForDeletion(
            ids, writtenBefore: judged, now: start, until: start.adding(Self.deletionLease))
        var deleted = Set<ObjectID>()
        var leftOver: [ObjectID] = []
        for id in ids where leased.contains(id) {
            guard now().milliseconds - start.milliseconds < Self.deletionBudget.milliseconds else {
                leftOver.append(id)
                continue
            }
            deleted.formUnion(try await objects.delete([id]))
            await checkpoint("gc.sweep")
        }
        // An object already gone is deleted as far as its mark is concerned.
        let absent = leased.subtracting(deleted).subtracting(leftOver)
        try await metadata.endDeletion(deleted: Array(deleted.union(absent)), kept: leftOver)
        return (deleted, ids.filter { !leased.contains($0) }, leftOver)
    }

    private func recordKept(_ ids: [ObjectID], reason: String) async throws {
        guard !ids.isEmpty else { return }
        try await record(
            "gc.keep", target: "objects", outcome: .succeeded,
            details: ["reason": reason, "count": "\(ids.count)", "objects": ids.map(\.hex).joined(separator: " ")])
    }
}
