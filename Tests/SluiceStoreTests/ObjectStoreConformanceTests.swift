import Foundation
import SluiceCore
import SluiceStore
import Testing

/// The contract every `ObjectStore` must meet; each test runs against every backend.
@Suite struct ObjectStoreConformanceTests {
    enum Backend: String, CaseIterable, CustomTestStringConvertible {
        case memory, local
        var testDescription: String { rawValue }

        func make() throws -> (any ObjectStore, TemporaryFolder?) {
            switch self {
            case .memory: return (InMemoryObjectStore(), nil)
            case .local:
                let folder = try TemporaryFolder()
                return (try LocalObjectStore(root: folder.url), folder)
            }
        }
    }

    func stage(_ store: any ObjectStore, _ data: Data) throws -> StagedObject {
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

    @Test(arguments: Backend.allCases) func stagedObjectsAreInvisibleUntilPublished(_ backend: Backend) async throws {
        let (store, folder) = try backend.make()
        _ = folder
        let content = Self.data(3 << 20, seed: 1)
        let staged = try stage(store, content)
        #expect(try await !store.contains(staged.id))
        try await store.publish([staged])
        #expect(try await store.contains(staged.id))
        #expect(try await store.read(staged.id) == content)
        #expect(try await store.size(of: staged.id) == Int64(content.count))
        #expect(try await store.verify(staged.id))
        var streamed = Data()
        try await store.stream(staged.id) { streamed.append(contentsOf: $0) }
        #expect(streamed == content)
    }

    @Test(arguments: Backend.allCases) func identicalContentIsStoredOnce(_ backend: Backend) async throws {
        let (store, folder) = try backend.make()
        _ = folder
        let content = Self.data(1000, seed: 2)
        let first = try stage(store, content)
        let second = try stage(store, content)
        try await store.publish([first, second])
        #expect(try await store.put(content) == first.id)
        #expect(try await store.allObjects() == [first.id])
    }

    @Test(arguments: Backend.allCases) func manyObjectsPublishInOneBatch(_ backend: Backend) async throws {
        let (store, folder) = try backend.make()
        _ = folder
        let staged = try (0..<40).map { try stage(store, Self.data(100 + $0, seed: UInt8($0))) }
        try await store.publish(staged)
        #expect(try await store.allObjects().count == 40)
        for object in staged { #expect(try await store.verify(object.id)) }
    }

    @Test(arguments: Backend.allCases) func abandonedWritesLeaveNothing(_ backend: Backend) async throws {
        let (store, folder) = try backend.make()
        _ = folder
        let writer = try store.makeWriter()
        try Data("partial".utf8).withUnsafeBytes { try writer.write($0) }
        writer.abandon()
        #expect(try await store.allObjects().isEmpty)
        if let folder {
            #expect(
                try FileManager.default.contentsOfDirectory(atPath: folder.url.appendingPathComponent("tmp").path)
                    .isEmpty)
        }
    }

    @Test(arguments: Backend.allCases) func inventoryListsSizesAndWriteTimesAndDeleteRemoves(
        _ backend: Backend
    ) async throws {
        let (store, folder) = try backend.make()
        _ = folder
        let before = Timestamp.now().milliseconds - 2_000
        let a = try await store.put(Data("alpha".utf8))
        let b = try await store.put(Data("bravo!".utf8))
        let listed = try await store.inventory()
        #expect(listed.map(\.id) == [a, b].sorted())
        #expect(listed.first { $0.id == b }?.bytes == 6)
        #expect(listed.allSatisfy { $0.writtenAt.milliseconds >= before })
        let later = Timestamp(milliseconds: Timestamp.now().milliseconds + 60_000)
        #expect(try await store.delete([a], writtenBefore: later) == [a])
        #expect(try await store.delete([a], writtenBefore: later).isEmpty)  // absent: no error
        #expect(try await !store.contains(a))
        #expect(try await store.inventory().map(\.id) == [b])
    }

    /// The collector judged an object old; it is published again before the sweep: it must stay.
    @Test(arguments: Backend.allCases) func anObjectWrittenAgainAfterTheCutoffIsNotDeleted(
        _ backend: Backend
    ) async throws {
        let (store, folder) = try backend.make()
        _ = folder
        let id = try await store.put(Data("again".utf8))
        let cutoff = try #require(try await store.inventory().first?.writtenAt)
        try await Task.sleep(for: .milliseconds(5))
        let writer = try store.makeWriter()
        try Data("again".utf8).withUnsafeBytes { try writer.write($0) }
        try await store.publish([try writer.finish(id: id, size: 5)])
        #expect(try await store.delete([id], writtenBefore: cutoff).isEmpty)
        #expect(try await store.read(id) == Data("again".utf8))
    }

    @Test func storingExistingBytesAgainRefreshesTheirWriteTime() async throws {
        let folder = try TemporaryFolder()
        let store = try LocalObjectStore(root: folder.url)
        let id = try await store.put(Data("same".utf8))
        let path = folder.url.appendingPathComponent("objects/\(id.hex.prefix(2))/\(id.hex.dropFirst(2))").path
        var old = [timespec(tv_sec: 1_000_000, tv_nsec: 0), timespec(tv_sec: 1_000_000, tv_nsec: 0)]
        #expect(utimensat(AT_FDCWD, path, &old, 0) == 0)
        #expect(try await store.inventory().first?.writtenAt.milliseconds == 1_000_000_000)
        _ = try await store.put(Data("same".utf8))
        #expect(try await store.inventory().first?.writtenAt.milliseconds ?? 0 > 1_000_000_000)
    }

    @Test func localObjectsAreReadOnlyAndCorruptionIsDetected() async throws {
        let folder = try TemporaryFolder()
        let store = try LocalObjectStore(root: folder.url)
        let id = try await store.put(Data("hello".utf8))
        let path = folder.url.appendingPathComponent("objects/\(id.hex.prefix(2))/\(id.hex.dropFirst(2))").path
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o444)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        try Data("hellO".utf8).write(to: URL(fileURLWithPath: path))
        #expect(try await !store.verify(id))
    }
}
