import Crypto
import Foundation

/// Content-addressed, immutable object storage: local files, or an object store as another conformer.
///
/// Writes are two-phase so that many objects become durable with one flush: a writer stages bytes in a
/// private place, `publish` makes staged objects durable and then visible under their id. A process killed
/// at any point leaves either no object or a whole one. Reads stream: chunks of an object, or of a range of
/// it, as the store delivers them. The interface names no file: a store that keeps its objects as local
/// files may say where through `LocalObjectFiles`, which the quality gate uses to map them instead of
/// copying, and nothing else needs.
///
/// Garbage collection's safety is not the store's: writers mark what they write in the metadata before they
/// publish (`ObjectMarkStore`), and the collector deletes only objects it holds a deletion lease on, so a
/// store needs neither locks nor modification times.
public protocol ObjectStore: Sendable {
    /// Starts writing one object. Writers are synchronous sinks, fed from inside scans (the gate writes
    /// quarantined rows as it finds them); a remote backend spools them and uploads in `publish`.
    func makeWriter() throws -> any ObjectWriter
    /// Makes staged objects durable, then visible under their ids (an id already present keeps its bytes,
    /// which are the same).
    func publish(_ staged: [StagedObject]) async throws
    /// Throws staged objects away (after a failure before publishing); never fails.
    func discard(_ staged: [StagedObject]) async
    /// Stores small content in one call (a default stages and publishes it unless it is there).
    func put(_ data: Data) async throws -> ObjectID
    /// Removes staged bytes left by writers that died before publishing (staged before `cutoff`); with
    /// `dryRun`, only counts them. Returns how many and how large.
    func sweepStaging(writtenBefore cutoff: Timestamp, dryRun: Bool) async throws -> (files: Int, bytes: Int64)
    func contains(_ id: ObjectID) async throws -> Bool
    /// Byte size of an object, `nil` when absent.
    func size(of id: ObjectID) async throws -> Int64?
    /// The bytes of a stored object, or of `range` of them, in chunks; a missing object fails the first read.
    func read(_ id: ObjectID, range: Range<Int64>?) -> ObjectBytes
    /// The bytes of a staged object as they will be published (what a quality gate reads, so that the bytes
    /// checked are the bytes that land), or of `range` of them, in chunks.
    func readStaged(_ staged: StagedObject, range: Range<Int64>?) -> ObjectBytes
    /// Every stored object with its size.
    func inventory() async throws -> [StoredObject]
    /// Deletes objects; returns those deleted (an absent one is no error). Only the garbage collector calls
    /// this, for objects it holds a deletion lease on.
    func delete(_ ids: [ObjectID]) async throws -> Set<ObjectID>
}

/// Chunks of an object's bytes, read as they are consumed.
public typealias ObjectBytes = AsyncThrowingStream<Data, any Error>

extension AsyncThrowingStream where Element == Data, Failure == any Error {
    /// Every chunk, in one piece in memory.
    public func joined() async throws -> Data {
        var data = Data()
        for try await chunk in self { data.append(chunk) }
        return data
    }
}

/// A store whose objects are local files, saying where they are: the quality gate maps them instead of
/// copying. `nil` when an object is not (or not yet) a local file.
public protocol LocalObjectFiles: Sendable {
    func localFile(of id: ObjectID) -> URL?
    func localFile(ofStaged staged: StagedObject) -> URL?
}

extension ObjectStore {
    /// The whole of an object in memory.
    public func read(_ id: ObjectID) async throws -> Data {
        try await read(id, range: nil).joined()
    }

    /// The whole of a staged object in memory.
    public func readStaged(_ staged: StagedObject) async throws -> Data {
        try await readStaged(staged, range: nil).joined()
    }

    /// Hands an object's bytes to `chunk`, a piece at a time, without holding it in memory.
    public func stream(_ id: ObjectID, chunk: (UnsafeRawBufferPointer) throws -> Void) async throws {
        for try await piece in read(id, range: nil) { try piece.withUnsafeBytes(chunk) }
    }

    /// Rehashes an object; `false` when its bytes no longer match its id or it cannot be read.
    public func verify(_ id: ObjectID) async throws -> Bool {
        var hasher = SHA256()
        do {
            try await stream(id) { hasher.update(bufferPointer: $0) }
        } catch {
            return false
        }
        return ObjectID(digest: hasher.finalize()) == id
    }

    /// Every stored object id, in order.
    public func allObjects() async throws -> [ObjectID] {
        try await inventory().map(\.id).sorted()
    }

    /// Stages the bytes `chunks` delivers as one object, hashing them on the way.
    public func stage<Chunks: AsyncSequence>(_ chunks: Chunks) async throws -> StagedObject
    where Chunks.Element == Data {
        let writer = try makeWriter()
        var hasher = SHA256()
        var size: Int64 = 0
        do {
            for try await chunk in chunks {
                try chunk.withUnsafeBytes { bytes in
                    try writer.write(bytes)
                    hasher.update(bufferPointer: bytes)
                }
                size += Int64(chunk.count)
            }
            return try writer.finish(id: ObjectID(digest: hasher.finalize()), size: size)
        } catch {
            writer.abandon()
            throw error
        }
    }

    /// Stores small content in one call: staged, then published (nothing is written when it is there).
    public func put(_ data: Data) async throws -> ObjectID {
        let id = ObjectID.hashing(data)
        guard try await !contains(id) else { return id }
        let writer = try makeWriter()
        do {
            try data.withUnsafeBytes { try writer.write($0) }
            try await publish([try writer.finish(id: id, size: Int64(data.count))])
        } catch {
            writer.abandon()
            throw error
        }
        return id
    }
}

/// An object as listed by `ObjectStore.inventory`.
public struct StoredObject: Hashable, Sendable {
    public var id: ObjectID
    public var bytes: Int64

    public init(id: ObjectID, bytes: Int64) {
        self.id = id
        self.bytes = bytes
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

/// Where bytes can be read from for the quality gate: a mapped file, or memory.
public enum ByteSegment: Sendable {
    case file(URL)
    case bytes(Data)
}
