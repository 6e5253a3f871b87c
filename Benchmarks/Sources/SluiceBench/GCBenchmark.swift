import ArgumentParser
import Foundation
import SluiceCore
import SluiceStore

/// Garbage collection over a store of 100,000 objects: half reachable from an environment (kept), half
/// referenced by nothing and older than the grace period (deleted). Prints the dry run's and the
/// collection's times, beside `find` listing the same folder.
struct GCBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gc", abstract: "Time sluice gc on a store of 100,000 objects.")

    @Option(help: "Objects in the store.")
    var objects = 100_000

    @Option(help: "Scratch folder.")
    var scratch = "/tmp/sluice-bench-gc"

    func run() async throws {
        let base = URL(fileURLWithPath: scratch)
        try? FileManager.default.removeItem(at: base)
        defer { try? FileManager.default.removeItem(at: base) }
        let project = try BenchProject.create(
            in: base.appendingPathComponent("project"), sourcePath: "landing/*.csv")
        let store = try project.freshStore()
        let workspace = try project.workspace(over: store)
        // Half the objects are chunks of one dataset version in dev; half are referenced by nothing.
        let kept = objects / 2
        var chunks: [ChunkRef] = []
        for batch in stride(from: 0, to: objects, by: 10_000) {
            var staged: [StagedObject] = []
            for index in batch..<min(batch + 10_000, objects) {
                let data = Data("object \(index)\n".utf8)
                let writer = try store.objects.makeWriter()
                try data.withUnsafeBytes { try writer.write($0) }
                let id = ObjectID.hashing(data)
                staged.append(try writer.finish(id: id, size: Int64(data.count)))
                if index < kept { chunks.append(ChunkRef(object: id, bytes: Int64(data.count))) }
            }
            // Marked as written, as the engine marks what it publishes, long enough ago to be past any grace.
            _ = try await store.metadata.markWritten(staged.map(\.id), at: Timestamp(milliseconds: 0))
            try await store.objects.publish(staged)
        }
        let name = DatasetName("raw.data")!
        let manifest = VersionManifest(
            dataset: name, format: .csv, files: [ManifestFile(name: "data.csv", chunks: chunks, rows: Int64(kept))],
            schema: ["object"])
        let version = try DatasetVersion(manifest: manifest, createdAt: .now(), createdBy: "bench")
        let manifestID = try await store.objects.put(try CanonicalJSON.encode(manifest))
        _ = try await store.metadata.markWritten([manifestID], at: Timestamp(milliseconds: 0))
        try await store.metadata.saveVersion(version)
        let commit = try Commit(
            CommitContent(
                parents: [], datasets: [name.description: version.id], actor: "bench", message: "bench", gitCommit: nil,
                createdAt: .now()))
        try await store.metadata.saveCommit(commit)
        try await store.metadata.moveEnvironment(
            RefMove(
                environment: "dev", from: nil, to: commit.id, actor: "bench", reason: "bench", gitCommit: nil,
                at: .now()),
            template: EnvironmentRecord(name: "dev", head: nil, createdAt: .now(), createdBy: "bench"), audit: nil)
        let objectsPath = project.root.appendingPathComponent(".sluice/objects").path
        let find = try await Measure.seconds { try Measure.shell("find '\(objectsPath)' -type f | wc -l") }
        var plan: GCReport?
        let dry = try await Measure.seconds {
            plan = try await workspace.collectGarbage(dryRun: true, grace: TimeSpan(seconds: 0))
        }
        var done: GCReport?
        let real = try await Measure.seconds {
            done = try await workspace.collectGarbage(dryRun: false, grace: TimeSpan(seconds: 0))
        }
        print("gc benchmark: \(objects + 1) objects, \(kept + 1) reachable")
        print("find listing the objects: \(Measure.format(find)) s")
        print("gc --dry-run: \(Measure.format(dry)) s, would delete \(plan?.objects.count ?? -1)")
        print("gc: \(Measure.format(real)) s, deleted \(done?.objects.count ?? -1), kept \(done?.keptReferenced ?? -1)")
        let verify = try await Measure.seconds { _ = try await workspace.verifyStore() }
        print("verify afterwards: \(Measure.format(verify)) s")
    }
}
