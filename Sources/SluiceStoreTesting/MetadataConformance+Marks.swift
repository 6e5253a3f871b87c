import Foundation
import SluiceCore

/// Object marks and deletion leases, the same on every metadata store: the collector leases only what was last
/// written before its cutoff, a writer never marks under a live lease, a lease a dead collector left lapses,
/// and of a writer and a collector racing for one object exactly one wins.
extension MetadataConformance {
    static let markChecks: [ConformanceCheck<any MetadataStore>] = [
        ConformanceCheck("aMarkIsTheLastWriteAndOnlyOldObjectsAreLeased") {
            try await aMarkIsTheLastWriteAndOnlyOldObjectsAreLeased($0)
        },
        ConformanceCheck("aLeaseADeadCollectorLeftLapses") { try await aLeaseADeadCollectorLeftLapses($0) },
        ConformanceCheck("ofAWriterAndACollectorRacingExactlyOneWins") {
            try await ofAWriterAndACollectorRacingExactlyOneWins($0)
        },
    ]

    static func objectID(_ text: String) -> ObjectID { ObjectID.hashing(Data(text.utf8)) }

    static func seconds(_ count: Int64) -> Timestamp { t0.adding(TimeSpan(seconds: count)) }

    static func aMarkIsTheLastWriteAndOnlyOldObjectsAreLeased(_ store: any MetadataStore) async throws {
        let (a, b, never) = (objectID("a"), objectID("b"), objectID("never marked"))
        try expect(try await store.markWritten([a, b], at: t0).isEmpty)
        try expect(try await store.markWritten([b], at: seconds(10)).isEmpty)
        try expect(try await store.objectMarks() == [a: t0, b: seconds(10)])
        let leased = try await store.leaseForDeletion(
            [a, b, never], writtenBefore: seconds(5), now: seconds(20), until: seconds(80))
        try expect(leased == [a])
        // Leased: no second collection takes it, and a writer waits.
        try expect(
            try await store.leaseForDeletion([a], writtenBefore: seconds(5), now: seconds(21), until: seconds(81))
                .isEmpty)
        try expect(try await store.markWritten([a, b], at: seconds(30)) == [a])
        try expect(try await store.objectMarks()[a] == t0)
        try expect(try await store.objectMarks()[b] == seconds(30))
        try await store.endDeletion(deleted: [a], kept: [])
        try expect(try await store.objectMarks()[a] == nil)
        try expect(try await store.markWritten([a], at: seconds(40)).isEmpty)
        // A lease ended with the object kept is dropped at once.
        let again = try await store.leaseForDeletion(
            [a, b], writtenBefore: seconds(41), now: seconds(41), until: seconds(100))
        try expect(again == [a, b])
        try await store.endDeletion(deleted: [], kept: [a, b])
        try expect(try await store.markWritten([a, b], at: seconds(42)).isEmpty)
        try expect(try await store.objectMarks() == [a: seconds(42), b: seconds(42)])
    }

    /// The collector died holding a lease: writers wait until it ends, then win; another collection may lease
    /// what is still old once it has lapsed.
    static func aLeaseADeadCollectorLeftLapses(_ store: any MetadataStore) async throws {
        let (a, b) = (objectID("a"), objectID("b"))
        _ = try await store.markWritten([a, b], at: t0)
        // Written in the cutoff's own millisecond: not before it, so not leased.
        try expect(try await store.leaseForDeletion([a, b], writtenBefore: t0, now: t0, until: seconds(60)).isEmpty)
        let leased = try await store.leaseForDeletion(
            [a, b], writtenBefore: seconds(1), now: seconds(1), until: seconds(60))
        try expect(leased == [a, b])
        try expect(try await store.markWritten([a], at: seconds(59)) == [a])
        try expect(try await store.markWritten([a], at: seconds(60)).isEmpty)
        try expect(try await store.objectMarks()[a] == seconds(60))
        try expect(
            try await store.leaseForDeletion([a, b], writtenBefore: seconds(30), now: seconds(61), until: seconds(120))
                == [b])
    }

    static func ofAWriterAndACollectorRacingExactlyOneWins(_ store: any MetadataStore) async throws {
        let ids = (0..<40).map { objectID("race \($0)") }
        _ = try await store.markWritten(ids, at: t0)
        async let busy = withThrowingTaskGroup(of: Set<ObjectID>.self) { group in
            for id in ids { group.addTask { try await store.markWritten([id], at: seconds(100)) } }
            return try await group.reduce(into: Set<ObjectID>()) { $0.formUnion($1) }
        }
        async let leased = withThrowingTaskGroup(of: Set<ObjectID>.self) { group in
            for id in ids.reversed() {
                group.addTask {
                    try await store.leaseForDeletion(
                        [id], writtenBefore: seconds(1), now: seconds(50), until: seconds(200))
                }
            }
            return try await group.reduce(into: Set<ObjectID>()) { $0.formUnion($1) }
        }
        let (waited, taken) = try await (busy, leased)
        // Every object the collector took, its writer waited for; every other one the writer marked anew.
        try expect(waited == taken)
        let marks = try await store.objectMarks()
        for id in ids { try expect(marks[id] == (taken.contains(id) ? t0 : seconds(100))) }
    }
}
