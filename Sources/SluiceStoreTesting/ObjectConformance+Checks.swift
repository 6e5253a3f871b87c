import Foundation
import SluiceCore

/// The contract every `ObjectStore` must meet; each test runs against every backend.
extension ObjectConformance {
    static func stage(_ store: any ObjectStore, _ data: Data) throws -> StagedObject {
        let writer = try store.makeWriter()
        // Write in pieces, both below and above the writer's asynchronous threshold.
        var offset = 0
        for size in [3, 2 << 20, 17] where offset < data.count {
            let end = min(data.count, offset + size)
            try data[offset..<end].withUnsafeBytes { try writer.write($0) }
            offset = end
        }
        if offset < data.count { try data[offset...].withUnsafeBytes { try writer.write($0) } }
        return try writer.finish(id: ObjectID.hashing(data), size: Int64(data.count))
    }

    static func data(_ count: Int, seed: UInt8) -> Data {
        Data((0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31) &+ seed })
    }

    static func stagedObjectsAreInvisibleUntilPublished(_ store: any ObjectStore) async throws {
        let content = Self.data(3 << 20, seed: 1)
        let staged = try stage(store, content)
        try expect(try await !store.contains(staged.id))
        try await store.publish([staged])
        try expect(try await store.contains(staged.id))
        try expect(try await store.read(staged.id) == content)
        try expect(try await store.size(of: staged.id) == Int64(content.count))
        try expect(try await store.verify(staged.id))
        var streamed = Data()
        try await store.stream(staged.id) { streamed.append(contentsOf: $0) }
        try expect(streamed == content)
    }

    static func identicalContentIsStoredOnce(_ store: any ObjectStore) async throws {
        let content = Self.data(1000, seed: 2)
        let first = try stage(store, content)
        let second = try stage(store, content)
        try await store.publish([first, second])
        try expect(try await store.put(content) == first.id)
        try expect(try await store.allObjects() == [first.id])
    }

    static func manyObjectsPublishInOneBatch(_ store: any ObjectStore) async throws {
        let staged = try (0..<40).map { try stage(store, Self.data(100 + $0, seed: UInt8($0))) }
        try await store.publish(staged)
        try expect(try await store.allObjects().count == 40)
        for object in staged { try expect(try await store.verify(object.id)) }
    }

    static func abandonedWritesLeaveNothing(_ store: any ObjectStore) async throws {
        let writer = try store.makeWriter()
        try Data("partial".utf8).withUnsafeBytes { try writer.write($0) }
        writer.abandon()
        try expect(try await store.allObjects().isEmpty)
    }

    static func inventoryListsSizesAndWriteTimesAndDeleteRemoves(_ store: any ObjectStore) async throws {
        let before = Timestamp.now().milliseconds - 2_000
        let a = try await store.put(Data("alpha".utf8))
        let b = try await store.put(Data("bravo!".utf8))
        let listed = try await store.inventory()
        try expect(listed.map(\.id) == [a, b].sorted())
        try expect(listed.first { $0.id == b }?.bytes == 6)
        try expect(listed.allSatisfy { $0.writtenAt.milliseconds >= before })
        let later = Timestamp(milliseconds: Timestamp.now().milliseconds + 60_000)
        try expect(try await store.delete([a], writtenBefore: later) == [a])
        try expect(try await store.delete([a], writtenBefore: later).isEmpty)  // absent: no error
        try expect(try await !store.contains(a))
        try expect(try await store.inventory().map(\.id) == [b])
    }

    /// The collector judged an object old; it is published again before the sweep: it must stay.
    static func anObjectWrittenAgainAfterTheCutoffIsNotDeleted(_ store: any ObjectStore) async throws {
        let id = try await store.put(Data("again".utf8))
        let cutoff = try require(try await store.inventory().first?.writtenAt)
        try await Task.sleep(for: .milliseconds(5))
        let writer = try store.makeWriter()
        try Data("again".utf8).withUnsafeBytes { try writer.write($0) }
        try await store.publish([try writer.finish(id: id, size: 5)])
        try expect(try await store.delete([id], writtenBefore: cutoff).isEmpty)
        try expect(try await store.read(id) == Data("again".utf8))
    }
}
