import Foundation

/// Content-addressed, immutable object storage. Local files today; S3 later, as another conformer.
///
/// Writes are two-phase so that many objects become durable with one flush: `stage` copies bytes into a
/// private temporary place, `publish` makes staged objects durable and then visible under their id.
/// A process killed at any point leaves either no object or a whole one.
public protocol ObjectStore: Sendable {
    /// Starts writing one object.
    func makeWriter() throws -> any ObjectWriter
    /// Makes staged objects durable, then visible under their ids (an id already present is kept as it is).
    func publish(_ staged: [StagedObject]) async throws
    /// The bytes of a staged object as they will be published: what a quality gate reads, so that the bytes
    /// checked are the bytes that land.
    func stagedContent(_ staged: StagedObject) throws -> ByteSegment
    /// Removes staged bytes left by writers that died before publishing (last written before `cutoff`);
    /// with `dryRun`, only counts them. Returns how many and how large.
    func sweepStaging(writtenBefore cutoff: Timestamp, dryRun: Bool) async throws -> (files: Int, bytes: Int64)
    /// The bytes of a stored object where a reader can take them (a file, for local objects).
    func storedContent(_ id: ObjectID) async throws -> ByteSegment
    /// Throws staged objects away (after a failure before publishing); never fails.
    func discard(_ staged: [StagedObject]) async
    /// Stores small content in one call.
    func put(_ data: Data) async throws -> ObjectID
    func contains(_ id: ObjectID) async throws -> Bool
    /// Byte size of an object, `nil` when absent.
    func size(of id: ObjectID) async throws -> Int64?
    func read(_ id: ObjectID) async throws -> Data
    /// Streams an object in chunks without holding it in memory.
    func stream(_ id: ObjectID, chunk: (UnsafeRawBufferPointer) throws -> Void) async throws
    /// Every stored object id.
    func allObjects() async throws -> [ObjectID]
    /// Rehashes an object; `false` when its bytes no longer match its id.
    func verify(_ id: ObjectID) async throws -> Bool
    /// Every stored object with its size and when it was last written (publishing bytes that are already
    /// there counts as writing them), for the garbage collector's grace period.
    func inventory() async throws -> [StoredObject]
    /// Deletes each object still last written at or before `cutoff`, atomically with respect to `publish`
    /// and `put` (which mark what they write as written now): an object published again after the
    /// collector judged it survives. Returns the ids deleted; an absent one is no error. Only the garbage
    /// collector calls this.
    func delete(_ ids: [ObjectID], writtenBefore cutoff: Timestamp) async throws -> Set<ObjectID>
}

/// An object as listed by `ObjectStore.inventory`.
public struct StoredObject: Hashable, Sendable {
    public var id: ObjectID
    public var bytes: Int64
    public var writtenAt: Timestamp

    public init(id: ObjectID, bytes: Int64, writtenAt: Timestamp) {
        self.id = id
        self.bytes = bytes
        self.writtenAt = writtenAt
    }
}

/// Bytes of one object on their way into the store; owned by one task.
public protocol ObjectWriter: AnyObject {
    func write(_ bytes: UnsafeRawBufferPointer) throws
    /// Closes the object; it is not visible until published.
    func finish(id: ObjectID, size: Int64) throws -> StagedObject
    /// Throws the bytes away.
    func abandon()
}

/// An object written and closed but not yet visible.
public struct StagedObject: Hashable, Sendable {
    public var id: ObjectID
    public var size: Int64
    /// Backend-specific handle (a temporary path for local files).
    public var token: String

    public init(id: ObjectID, size: Int64, token: String) {
        self.id = id
        self.size = size
        self.token = token
    }
}

/// Where bytes can be read from: a file, or memory.
public enum ByteSegment: Sendable {
    case file(URL)
    case bytes(Data)
}
