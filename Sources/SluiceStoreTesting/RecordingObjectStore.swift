import Foundation
import SluiceCore

/// An `ObjectStore` that hands every call to another and notes which requirement it was: how the conformance
/// suite shows that it asks a backend everything the port can be asked (`StoreConformanceTests`).
public final class RecordingObjectStore: ObjectStore, @unchecked Sendable {
    let base: any ObjectStore
    private let lock = NSLock()
    private var noted = Set<String>()

    public init(_ base: any ObjectStore) { self.base = base }

    /// Every requirement of the port.
    public static let requirements = [
        "makeWriter()", "publish(_:)", "discard(_:)", "put(_:)", "sweepStaging(writtenBefore:dryRun:)",
        "contains(_:)", "size(of:)", "read(_:range:)", "readStaged(_:range:)", "inventory()", "delete(_:)",
    ]

    public var called: Set<String> { lock.withLock { noted } }

    private func note(_ requirement: String) { _ = lock.withLock { noted.insert(requirement) } }

    public func makeWriter() throws -> any ObjectWriter {
        note("makeWriter()")
        return try base.makeWriter()
    }

    public func publish(_ staged: [StagedObject]) async throws {
        note("publish(_:)")
        try await base.publish(staged)
    }

    public func discard(_ staged: [StagedObject]) async {
        note("discard(_:)")
        await base.discard(staged)
    }

    public func put(_ data: Data) async throws -> ObjectID {
        note("put(_:)")
        return try await base.put(data)
    }

    public func sweepStaging(writtenBefore cutoff: Timestamp, dryRun: Bool) async throws -> (files: Int, bytes: Int64) {
        note("sweepStaging(writtenBefore:dryRun:)")
        return try await base.sweepStaging(writtenBefore: cutoff, dryRun: dryRun)
    }

    public func contains(_ id: ObjectID) async throws -> Bool {
        note("contains(_:)")
        return try await base.contains(id)
    }

    public func size(of id: ObjectID) async throws -> Int64? {
        note("size(of:)")
        return try await base.size(of: id)
    }

    public func read(_ id: ObjectID, range: Range<Int64>?) -> ObjectBytes {
        note("read(_:range:)")
        return base.read(id, range: range)
    }

    public func readStaged(_ staged: StagedObject, range: Range<Int64>?) -> ObjectBytes {
        note("readStaged(_:range:)")
        return base.readStaged(staged, range: range)
    }

    public func inventory() async throws -> [StoredObject] {
        note("inventory()")
        return try await base.inventory()
    }

    public func delete(_ ids: [ObjectID]) async throws -> Set<ObjectID> {
        note("delete(_:)")
        return try await base.delete(ids)
    }
}
