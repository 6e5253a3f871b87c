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
        try expect(try await store.readStaged(staged) == content)
        try await store.publish([staged])
        try expect(try await store.contains(staged.id))
        try expect(try await store.read(staged.id) == content)
        try expect(try await store.size(of: staged.id) == Int64(content.count))
        try expect(try await store.verify(staged.id))
        var streamed = Data()
        try await store.stream(staged.id) { streamed.append(contentsOf: $0) }
        try expect(streamed == content)
    }

    /// Ranges across chunk boundaries, to the end, past the end and empty, of stored and staged bytes.
    static func rangedReadsReturnExactlyTheRange(_ store: any ObjectStore) async throws {
        let content = Self.data((2 << 20) + 100, seed: 7)
        let staged = try stage(store, content)
        let size = Int64(content.count)
        let ranges: [Range<Int64>] = [
            0..<1, 5..<((1 << 20) + 7), ((1 << 20) - 3)..<size, (size - 1)..<(size + 50), 9..<9,
        ]
        for range in ranges {
            let expected = content[Int(range.lowerBound)..<Int(min(range.upperBound, size))]
            try expect(try await store.readStaged(staged, range: range).joined() == expected)
        }
        try await store.publish([staged])
        for range in ranges {
            let expected = content[Int(range.lowerBound)..<Int(min(range.upperBound, size))]
            try expect(try await store.read(staged.id, range: range).joined() == expected)
        }
        try expect(try await store.read(staged.id, range: (size + 10)..<(size + 20)).joined().isEmpty)
    }

    static func aMissingObjectFailsItsFirstRead(_ store: any ObjectStore) async throws {
        let absent = ObjectID.hashing(Data("never stored".utf8))
        try expect(try await !store.contains(absent))
        try expect(try await store.size(of: absent) == nil)
        try expect(try await !store.verify(absent))
        _ = try await expectThrows((any Error).self) { _ = try await store.read(absent) }
    }

    /// Writers that stage the same bytes publish at once: one object, whole, and nobody fails.
    static func concurrentPublishersOfTheSameBytesAllSucceed(_ store: any ObjectStore) async throws {
        let content = Self.data(300_000, seed: 9)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask { try await store.publish([try stage(store, content)]) }
            }
            try await group.waitForAll()
        }
        try expect(try await store.allObjects() == [ObjectID.hashing(content)])
        try expect(try await store.verify(ObjectID.hashing(content)))
    }

    /// A writer killed between staging and publishing: its bytes never become visible, and a sweep of staging
    /// older than a cutoff after it takes them away.
    static func aDeadWritersStagedBytesAreSweptNotPublished(_ store: any ObjectStore) async throws {
        _ = try stage(store, Self.data(5000, seed: 11))
        try expect(try await store.inventory().isEmpty)
        let later = Timestamp(milliseconds: Timestamp.now().milliseconds + 60_000)
        let counted = try await store.sweepStaging(writtenBefore: later, dryRun: true)
        let swept = try await store.sweepStaging(writtenBefore: later, dryRun: false)
        try expect(counted.files == swept.files && counted.files <= 1)
        try expect(try await store.sweepStaging(writtenBefore: later, dryRun: true).files == 0)
        try expect(try await store.inventory().isEmpty)
    }

    /// Staged bytes thrown away after a failure are gone: they can no longer be read or published.
    static func discardedStagedBytesCannotBePublished(_ store: any ObjectStore) async throws {
        let kept = try stage(store, Self.data(700, seed: 12))
        let dropped = try stage(store, Self.data(900, seed: 13))
        await store.discard([dropped])
        await store.discard([dropped])  // never fails, also when done twice
        _ = try await expectThrows((any Error).self) { try await store.publish([dropped]) }
        _ = try await expectThrows((any Error).self) { _ = try await store.readStaged(dropped) }
        try await store.publish([kept])
        try expect(try await store.allObjects() == [kept.id])
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

    static func inventoryListsSizesAndDeleteRemoves(_ store: any ObjectStore) async throws {
        let a = try await store.put(Data("alpha".utf8))
        let b = try await store.put(Data("bravo!".utf8))
        let listed = try await store.inventory()
        try expect(listed.map(\.id) == [a, b].sorted())
        try expect(listed.first { $0.id == b }?.bytes == 6)
        try expect(try await store.delete([a]) == [a])
        try expect(try await store.delete([a]).isEmpty)  // absent: no error
        try expect(try await !store.contains(a))
        try expect(try await store.inventory().map(\.id) == [b])
    }
}
