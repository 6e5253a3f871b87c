import Foundation

/// The object store as the use cases see it: every publish marks what it writes in the metadata first
/// (`ObjectMarkStore`), waiting out a collection that is deleting the same bytes, so that the garbage
/// collector, which deletes only what it leased, never takes an object a writer is about to refer to. The
/// store underneath needs neither locks nor modification times for that.
struct ObjectVault: ObjectStore, LocalObjectFiles {
    let store: any ObjectStore
    let marks: any ObjectMarkStore
    let now: @Sendable () -> Timestamp
    /// The store's local files, when it keeps its objects as such (asked once, not on every read).
    private let files: (any LocalObjectFiles)?

    init(store: any ObjectStore, marks: any ObjectMarkStore, now: @escaping @Sendable () -> Timestamp) {
        self.store = store
        self.marks = marks
        self.now = now
        files = store as? any LocalObjectFiles
    }
    /// How long a writer waits between looks at an object a collection holds for deletion.
    static let leaseWait: Duration = .milliseconds(50)

    func makeWriter() throws -> any ObjectWriter { try store.makeWriter() }

    func publish(_ staged: [StagedObject]) async throws {
        try await mark(staged.map(\.id))
        try await store.publish(staged)
    }

    /// Marks the bytes, then stores them unless they are there: a collection can no longer lease them.
    func put(_ data: Data) async throws -> ObjectID {
        let id = ObjectID.hashing(data)
        try await mark([id])
        return try await store.put(data)
    }

    /// Marks `ids` as written now; an object under a live deletion lease is marked once the lease ends (its
    /// deletion done, or its collector dead and the lease run out).
    func mark(_ ids: [ObjectID]) async throws {
        var pending = Array(Set(ids))
        while !pending.isEmpty {
            pending = Array(try await marks.markWritten(pending, at: now()))
            if !pending.isEmpty { try await Task.sleep(for: Self.leaseWait) }
        }
    }

    func discard(_ staged: [StagedObject]) async { await store.discard(staged) }

    func sweepStaging(writtenBefore cutoff: Timestamp, dryRun: Bool) async throws -> (files: Int, bytes: Int64) {
        try await store.sweepStaging(writtenBefore: cutoff, dryRun: dryRun)
    }

    func contains(_ id: ObjectID) async throws -> Bool { try await store.contains(id) }

    func size(of id: ObjectID) async throws -> Int64? { try await store.size(of: id) }

    func read(_ id: ObjectID, range: Range<Int64>?) -> ObjectBytes { store.read(id, range: range) }

    func readStaged(_ staged: StagedObject, range: Range<Int64>?) -> ObjectBytes {
        store.readStaged(staged, range: range)
    }

    func inventory() async throws -> [StoredObject] { try await store.inventory() }

    func delete(_ ids: [ObjectID]) async throws -> Set<ObjectID> { try await store.delete(ids) }

    func localFile(of id: ObjectID) -> URL? { files?.localFile(of: id) }

    func localFile(ofStaged staged: StagedObject) -> URL? { files?.localFile(ofStaged: staged) }
}

extension ObjectStore {
    /// The bytes of a staged object as the quality gate reads them: the file itself when the store keeps
    /// one, else a copy in memory (a staged object is at most one chunk of a file).
    func gateSegment(ofStaged staged: StagedObject) async throws -> ByteSegment {
        if let url = (self as? any LocalObjectFiles)?.localFile(ofStaged: staged) { return .file(url) }
        return .bytes(try await readStaged(staged))
    }

    /// The bytes of a stored object as the quality gate reads them.
    func gateSegment(of id: ObjectID) async throws -> ByteSegment {
        if let url = (self as? any LocalObjectFiles)?.localFile(of: id) { return .file(url) }
        return .bytes(try await read(id))
    }
}
