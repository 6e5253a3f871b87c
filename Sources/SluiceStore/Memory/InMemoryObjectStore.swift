import Crypto
import Foundation
import SluiceCore

/// Objects in memory, for tests. Behaves like the local store: staged objects are invisible until published.
public final class InMemoryObjectStore: ObjectStore, @unchecked Sendable {
    private let lock = NSLock()
    private var objects: [ObjectID: Data] = [:]
    private var written: [ObjectID: Timestamp] = [:]
    /// The time objects are written at (tests pass their own clock).
    private let clock: @Sendable () -> Timestamp
    private var staged: [String: Data] = [:]

    public init(clock: @escaping @Sendable () -> Timestamp = { .now() }) {
        self.clock = clock
    }

    public func makeWriter() throws -> any ObjectWriter { Writer(store: self) }

    final class Writer: ObjectWriter {
        let store: InMemoryObjectStore
        var buffer = Data()
        let token = UUID().uuidString

        init(store: InMemoryObjectStore) { self.store = store }

        func write(_ bytes: UnsafeRawBufferPointer) throws { buffer.append(contentsOf: bytes) }

        func finish(id: ObjectID, size: Int64) throws -> StagedObject {
            store.lock.withLock { store.staged[token] = buffer }
            return StagedObject(id: id, size: size, token: token)
        }

        func abandon() { buffer = Data() }
    }

    public func publish(_ staged: [StagedObject]) async throws {
        try lock.withLock {
            for object in staged {
                guard let data = self.staged.removeValue(forKey: object.token) else {
                    throw InternalError("object \(object.id.short) was not staged")
                }
                if objects[object.id] == nil { objects[object.id] = data }
                written[object.id] = clock()
            }
        }
    }

    /// Staged bytes in memory die with the process: there is never anything left over.
    public func sweepStaging(writtenBefore cutoff: Timestamp, dryRun: Bool) async throws -> (files: Int, bytes: Int64) {
        (0, 0)
    }

    public func storedContent(_ id: ObjectID) async throws -> ByteSegment {
        .bytes(try await read(id))
    }

    public func stagedContent(_ staged: StagedObject) throws -> ByteSegment {
        guard let data = lock.withLock({ self.staged[staged.token] }) else {
            throw InternalError("object \(staged.id.short) is not staged")
        }
        return .bytes(data)
    }

    public func discard(_ staged: [StagedObject]) async {
        lock.withLock {
            for object in staged { self.staged.removeValue(forKey: object.token) }
        }
    }

    public func put(_ data: Data) async throws -> ObjectID {
        let id = ObjectID.hashing(data)
        lock.withLock {
            if objects[id] == nil { objects[id] = data }
            written[id] = clock()
        }
        return id
    }

    public func contains(_ id: ObjectID) async throws -> Bool { lock.withLock { objects[id] != nil } }

    public func size(of id: ObjectID) async throws -> Int64? { lock.withLock { objects[id].map { Int64($0.count) } } }

    public func read(_ id: ObjectID) async throws -> Data {
        guard let data = lock.withLock({ objects[id] }) else { throw InternalError("object \(id.short) is missing") }
        return data
    }

    public func stream(_ id: ObjectID, chunk: (UnsafeRawBufferPointer) throws -> Void) async throws {
        let data = try await read(id)
        try data.withUnsafeBytes { try chunk($0) }
    }

    public func allObjects() async throws -> [ObjectID] { lock.withLock { objects.keys.sorted() } }

    public func inventory() async throws -> [StoredObject] {
        lock.withLock {
            objects.keys.sorted().map {
                StoredObject(
                    id: $0, bytes: Int64(objects[$0]!.count), writtenAt: written[$0] ?? Timestamp(milliseconds: 0))
            }
        }
    }

    public func delete(_ ids: [ObjectID], writtenBefore cutoff: Timestamp) async throws -> Set<ObjectID> {
        lock.withLock {
            var deleted = Set<ObjectID>()
            for id in ids where objects[id] != nil && (written[id]?.milliseconds ?? 0) <= cutoff.milliseconds {
                objects[id] = nil
                written[id] = nil
                deleted.insert(id)
            }
            return deleted
        }
    }

    public func verify(_ id: ObjectID) async throws -> Bool {
        guard let data = lock.withLock({ objects[id] }) else { return false }
        return ObjectID.hashing(data) == id
    }

    /// Replaces an object's bytes without changing its id, to test corruption detection.
    public func corrupt(_ id: ObjectID, with data: Data) {
        lock.withLock { objects[id] = data }
    }
}
