import Foundation
import SluiceCore

/// Objects in memory, for tests. Behaves like the local store: staged objects are invisible until published.
public final class InMemoryObjectStore: ObjectStore, @unchecked Sendable {
    private let lock = NSLock()
    private var objects: [ObjectID: Data] = [:]
    private var staged: [String: Data] = [:]
    /// Reads hand out at most this many bytes per chunk, so that readers meet several chunks as they would
    /// from any store.
    static let chunkSize = 64 << 10

    public init() {}

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
            }
        }
    }

    /// Staged bytes in memory die with the process: there is never anything left over.
    public func sweepStaging(writtenBefore cutoff: Timestamp, dryRun: Bool) async throws -> (files: Int, bytes: Int64) {
        (0, 0)
    }

    public func discard(_ staged: [StagedObject]) async {
        lock.withLock {
            for object in staged { self.staged.removeValue(forKey: object.token) }
        }
    }

    public func contains(_ id: ObjectID) async throws -> Bool { lock.withLock { objects[id] != nil } }

    public func size(of id: ObjectID) async throws -> Int64? { lock.withLock { objects[id].map { Int64($0.count) } } }

    public func read(_ id: ObjectID, range: Range<Int64>?) -> ObjectBytes {
        let data = lock.withLock { objects[id] }
        return Self.chunks(of: data, range: range, missing: "object \(id.short) is missing")
    }

    public func readStaged(_ staged: StagedObject, range: Range<Int64>?) -> ObjectBytes {
        let data = lock.withLock { self.staged[staged.token] }
        return Self.chunks(of: data, range: range, missing: "object \(staged.id.short) is not staged")
    }

    static func chunks(of data: Data?, range: Range<Int64>?, missing: String) -> ObjectBytes {
        ObjectBytes { continuation in
            guard let data else { return continuation.finish(throwing: InternalError(missing)) }
            let end = Int(min(range?.upperBound ?? Int64(data.count), Int64(data.count)))
            var start = Int(min(range?.lowerBound ?? 0, Int64(end)))
            while start < end {
                let next = min(start + chunkSize, end)
                continuation.yield(data.subdata(in: (data.startIndex + start)..<(data.startIndex + next)))
                start = next
            }
            continuation.finish()
        }
    }

    public func inventory() async throws -> [StoredObject] {
        lock.withLock { objects.keys.sorted().map { StoredObject(id: $0, bytes: Int64(objects[$0]!.count)) } }
    }

    public func delete(_ ids: [ObjectID]) async throws -> Set<ObjectID> {
        lock.withLock { Set(ids.filter { objects.removeValue(forKey: $0) != nil }) }
    }

    /// Replaces an object's bytes without changing its id, to test corruption detection.
    public func corrupt(_ id: ObjectID, with data: Data) {
        lock.withLock { objects[id] = data }
    }
}
