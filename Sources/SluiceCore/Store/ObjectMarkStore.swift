/// When each object was last written, and which ones a collection is deleting: what keeps garbage collection
/// safe on an object store that has neither locks nor modification times (S3 has neither, in the sense the
/// collector needs). Writers mark before they publish; the collector deletes only what it has leased, and
/// leases only what was last written before its cutoff, each in one transaction of the metadata store.
public protocol ObjectMarkStore: Sendable {
    /// Marks each of `ids` as written at `time` (its writer publishes the bytes, or finds them there, after
    /// this). An object under a live deletion lease (one ending after `time`) is left as it is and returned:
    /// its writer waits the lease out and marks it again.
    func markWritten(_ ids: [ObjectID], at time: Timestamp) async throws -> Set<ObjectID>
    /// When each marked object was last written.
    func objectMarks() async throws -> [ObjectID: Timestamp]
    /// Leases for deletion, until `until`, each of `ids` marked as last written before `cutoff` (strictly: a
    /// write in the very millisecond of the cutoff may have come after the judgement) and not under a live
    /// lease at `now` (an unmarked object is never leased); returns the ids leased.
    func leaseForDeletion(
        _ ids: [ObjectID], writtenBefore cutoff: Timestamp, now: Timestamp, until: Timestamp
    )
        async throws -> Set<ObjectID>
    /// Ends deletion leases: the marks of `deleted` go with their objects, the leases on `kept` are dropped.
    func endDeletion(deleted: [ObjectID], kept: [ObjectID]) async throws
}
