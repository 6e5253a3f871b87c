import Foundation
import SluiceCore
import SluiceStore
import SluiceStoreTesting
import Testing

/// The conformance suites of `SluiceStoreTesting`, run against every backend this package ships, each check on
/// a fresh store; and the proof that the metadata suite exercises every requirement of every port.
@Suite struct StoreConformanceTests {
    @Test(arguments: MetadataConformance.checks)
    func inMemoryMetadata(_ check: ConformanceCheck<any MetadataStore>) async throws {
        try await check.run(on: InMemoryMetadataStore())
    }

    @Test(arguments: MetadataConformance.checks)
    func sqliteMetadata(_ check: ConformanceCheck<any MetadataStore>) async throws {
        let folder = try ScratchFolder()
        try await check.run(on: try SQLiteMetadataStore(path: folder.url.appendingPathComponent("m.sqlite").path))
    }

    @Test(arguments: ObjectConformance.checks)
    func inMemoryObjects(_ check: ConformanceCheck<any ObjectStore>) async throws {
        try await check.run(on: InMemoryObjectStore())
    }

    @Test(arguments: ObjectConformance.checks)
    func localObjects(_ check: ConformanceCheck<any ObjectStore>) async throws {
        let folder = try ScratchFolder()
        try await check.run(on: try LocalObjectStore(root: folder.url))
    }

    /// Issue 24 item 4: the suite calls every requirement of every port (counted by a recording proxy, not
    /// declared), so a backend that passes it has been asked everything a port can be asked.
    @Test func theMetadataChecksExerciseEveryRequirementOfEveryPort() async throws {
        var called = Set<String>()
        for check in MetadataConformance.checks {
            let recording = RecordingMetadataStore(InMemoryMetadataStore())
            try await check.run(on: recording)
            called.formUnion(await recording.called)
        }
        let missing = RecordingMetadataStore.requirements.filter { !called.contains($0) }
        #expect(missing.isEmpty, "never exercised: \(missing)")
        #expect(RecordingMetadataStore.requirements.count == 63)
    }

    /// The object checks likewise call every requirement of `ObjectStore`.
    @Test func theObjectChecksExerciseEveryRequirementOfThePort() async throws {
        var called = Set<String>()
        for check in ObjectConformance.checks {
            let recording = RecordingObjectStore(InMemoryObjectStore())
            try await check.run(on: recording)
            called.formUnion(recording.called)
        }
        let missing = RecordingObjectStore.requirements.filter { !called.contains($0) }
        #expect(missing.isEmpty, "never exercised: \(missing)")
        #expect(RecordingObjectStore.requirements.count == 11)
    }

    /// A write given up leaves nothing in the local store's staging folder either.
    @Test func anAbandonedLocalWriteLeavesNoTemporaryFile() async throws {
        let folder = try ScratchFolder()
        let store = try LocalObjectStore(root: folder.url)
        let writer = try store.makeWriter()
        try Data("partial".utf8).withUnsafeBytes { try writer.write($0) }
        writer.abandon()
        #expect(
            try FileManager.default.contentsOfDirectory(atPath: folder.url.appendingPathComponent("tmp").path).isEmpty)
    }

    /// A reader that stops after the first chunk of a large object lets the file go with the stream.
    @Test func aLocalReadLeftEarlyClosesItsFile() async throws {
        let folder = try ScratchFolder()
        let store = try LocalObjectStore(root: folder.url)
        let id = try await store.put(Data(repeating: 7, count: 3 << 20))
        func openFiles() throws -> Int { try FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count }
        let before = try openFiles()
        for _ in 0..<20 {
            for try await chunk in store.read(id, range: nil) {
                #expect(chunk.count == 1 << 20)
                break
            }
        }
        #expect(try openFiles() <= before)
    }

    @Test func localObjectsAreReadOnlyAndCorruptionIsDetected() async throws {
        let folder = try ScratchFolder()
        let store = try LocalObjectStore(root: folder.url)
        let id = try await store.put(Data("hello".utf8))
        let path = folder.url.appendingPathComponent("objects/\(id.hex.prefix(2))/\(id.hex.dropFirst(2))").path
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        #expect((attributes[.posixPermissions] as? Int) == 0o444)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        try Data("hellO".utf8).write(to: URL(fileURLWithPath: path))
        #expect(try await !store.verify(id))
    }

    @Test func fingerprintsDependOnEveryLabel() {
        let one = AlertRecord.fingerprint(of: ["a": "b\u{0}c"])
        #expect(one != AlertRecord.fingerprint(of: ["a": "b", "c": ""]))
        #expect(one.count == 16)
        #expect(
            AlertRecord.fingerprint(of: ["x": "1", "y": "2"]) == AlertRecord.fingerprint(of: ["y": "2", "x": "1"]))
    }
}
