import Foundation
import SluiceStore
import Testing

@testable import SluiceCore

/// Issue 12 item 0: the core reads landing data through the `FileSource` port alone, so another source of
/// files (here: memory) needs nothing of the local disk.
@Suite struct FileSourceTests {
    @Test func aSourceLandsFromFilesThatAreOnlyInMemory() async throws {
        let harness = try Harness()
        // The landing folder on disk is emptied; the files are in memory only.
        try FileManager.default.removeItem(at: harness.folder.root.appendingPathComponent("landing/orders"))
        let memory = InMemoryFileSource()
        let landing = harness.folder.root.appendingPathComponent("landing/orders").path
        memory.write("\(landing)/b.csv", Data("order_id,amount\n3,1\n".utf8))
        memory.write("\(landing)/a.csv", Data("order_id,amount\n1,10.5\n2,20\n".utf8))
        memory.write("\(landing)/notes.txt", Data("not matched\n".utf8))
        harness.files = memory
        let result = try await harness.workspace("alice").ingest(source: "orders_drop", environment: "dev")
        #expect(result.files == 2 && result.rows == 3, "\(result)")
        var data = Data()
        try await harness.workspace("alice").cat("raw.orders", in: "dev") { data.append(contentsOf: $0) }
        #expect(String(decoding: data, as: UTF8.self) == "order_id,amount\n1,10.5\n2,20\n3,1\n")
    }

    /// The project itself loads and validates through the port: here from memory, with no folder on disk.
    @Test func aProjectLoadsFromFilesThatAreOnlyInMemory() throws {
        let root = URL(fileURLWithPath: "/nonexistent-\(UUID().uuidString)")
        let memory = InMemoryFileSource()
        for (path, content) in Fixture.files {
            memory.write(root.appendingPathComponent(path).path, Data(content.utf8))
        }
        let (project, warnings) = try ProjectLoader(files: memory).loadValidated(root: root)
        #expect(!project.datasets.isEmpty && !project.pipelines.isEmpty, "\(warnings)")
        // A file the project names that is missing is still found missing, through the port.
        let missing = InMemoryFileSource()
        for (path, content) in Fixture.files where !path.hasSuffix(".sql") {
            missing.write(root.appendingPathComponent(path).path, Data(content.utf8))
        }
        #expect(Fixture.files.keys.contains { $0.hasSuffix(".sql") }, "the fixture runs a SQL file")
        #expect(throws: ProjectError.self) { _ = try ProjectLoader(files: missing).loadValidated(root: root) }
    }

    /// The local port finds regular files by pattern, tells links from files, and refuses to read what is not
    /// a regular file.
    @Test func theLocalSourceJudgesWhatItReads() async throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-files-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("in/sub.csv"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        try Data("x\n".utf8).write(to: folder.appendingPathComponent("in/a.csv"))
        let target = folder.appendingPathComponent("outside.txt")
        try Data("y\n".utf8).write(to: target)
        try FileManager.default.createSymbolicLink(
            atPath: folder.appendingPathComponent("in/link.csv").path, withDestinationPath: target.path)
        mkfifo(folder.appendingPathComponent("in/pipe.csv").path, 0o600)
        let files = LocalFileSource()
        let found = files.files(matching: "in/*.csv", in: folder).map(\.lastPathComponent)
        #expect(found == ["a.csv", "link.csv", "pipe.csv"], "folders are left out")
        #expect(files.kind(of: folder.appendingPathComponent("in/link.csv").path) == .link)
        #expect(files.kind(of: folder.appendingPathComponent("in/a.csv").path) == .file)
        let resolved = files.realPath(folder.appendingPathComponent("in/link.csv").path)
        #expect(resolved != nil && resolved == files.realPath(target.path))
        // Data is read through the asynchronous port.
        let data: any FileSource = files
        await #expect(throws: UsageError.self) {
            _ = try await data.snapshot(of: folder.appendingPathComponent("in/pipe.csv"))
        }
        await #expect(throws: UsageError.self) {
            _ = try await data.read(folder.appendingPathComponent("in/pipe.csv"), range: 0..<10)
        }
        #expect(try await data.snapshot(of: folder.appendingPathComponent("in/a.csv")).size == 2)
        #expect(try await data.read(folder.appendingPathComponent("in/a.csv"), range: 1..<100) == Data("\n".utf8))
    }
}
