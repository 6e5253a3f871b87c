import Foundation
import SluiceCore
import SluiceQuality
import SluiceStore
import Testing

/// Issue 10 item 9: an ingest that publishes bytes the collector has judged unreferenced, after it judged
/// them and before it sweeps, must win: its objects stay and the store verifies. Issue 24: the same holds
/// while the collector is deleting them, by the marks and leases in the metadata, not by the file system.
@Suite struct CollectionRaceTests {
    typealias Checkpoint = @Sendable (String) async -> Void

    /// A project whose sandbox's data was landed and then let go: its objects are referenced by nothing.
    func orphanedSandbox(_ root: URL) async throws -> @Sendable (@escaping Checkpoint) -> Workspace {
        try ProjectScaffold.write(to: root, name: "race")
        try Data("customer_id,name,email,country,signed_up_at\n1,Ada,a@b.c,GB,2026-01-01T00:00:00Z\n".utf8).write(
            to: root.appendingPathComponent("landing/customers/c.csv"))
        let project = try ProjectLoader(files: LocalFileSource()).loadValidated(root: root).project
        let store = try LocalStore(directory: project.storeDirectory)
        let policy = AppliedPolicy(project: project)
        let ci = Identity(principal: "ci", role: policy.role(ofPrincipal: "ci"), authentication: .token, tokenID: "t")
        @Sendable func workspace(_ checkpoint: @escaping Checkpoint = { _ in }) -> Workspace {
            Workspace(
                project: project, objects: store.objects, metadata: store.metadata, identity: ci, gate: ContractGate(),
                git: GitWorkTree(), files: LocalFileSource(), checkpoint: checkpoint)
        }
        _ = try await workspace().createEnvironment("sandbox/a", from: "dev", ttl: nil)
        _ = try await workspace().ingest(source: "customers_drop", environment: "sandbox/a")
        _ = try await workspace().deleteEnvironment("sandbox/a")
        try await Task.sleep(for: .milliseconds(20))
        return { workspace($0) }
    }

    static func scratch() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("sluice-gcrace-\(UUID().uuidString)")
    }

    @Test func aPublishRacingTheSweepWins() async throws {
        let root = Self.scratch()
        defer { try? FileManager.default.removeItem(at: root) }
        let workspace = try await orphanedSandbox(root)
        // While the collector sits between judging and sweeping, the same bytes are ingested again.
        let racer = workspace { _ in }
        let collector = workspace { point in
            guard point == "gc.inventoried" else { return }
            _ = try? await racer.createEnvironment("sandbox/b", from: "dev", ttl: nil)
            _ = try? await racer.ingest(source: "customers_drop", environment: "sandbox/b")
        }
        let report = try await collector.collectGarbage(dryRun: false, grace: TimeSpan(seconds: 0))
        #expect(report.objects.isEmpty, "nothing the racing ingest published was deleted: \(report.objects)")
        #expect(try await workspace { _ in }.verifyStore().ok)
        var data = Data()
        try await workspace { _ in }.cat("raw.customers", in: "sandbox/b") { data.append(contentsOf: $0) }
        #expect(String(decoding: data, as: UTF8.self).hasPrefix("customer_id,"))
    }

    /// The collector has deleted the first of the objects it leased when the same bytes are ingested again:
    /// the ingest waits for the lease to end, then writes them anew; nothing it refers to is missing.
    @Test func aPublishDuringTheDeletionWaitsForItAndWins() async throws {
        let root = Self.scratch()
        defer { try? FileManager.default.removeItem(at: root) }
        let workspace = try await orphanedSandbox(root)
        let racer = workspace { _ in }
        _ = try await racer.createEnvironment("sandbox/b", from: "dev", ttl: nil)
        let ingest = Box<Task<IngestResult, any Error>>()
        let done = Flag()
        let collector = workspace { point in
            guard point == "gc.sweep", await ingest.value == nil else { return }
            let task = Task {
                let result = try await racer.ingest(source: "customers_drop", environment: "sandbox/b")
                await done.set()
                return result
            }
            await ingest.put(task)
            try? await Task.sleep(for: .milliseconds(300))
            #expect(!(await done.isSet), "the ingest waits while the collector holds its bytes")
        }
        let report = try await collector.collectGarbage(dryRun: false, grace: TimeSpan(seconds: 0))
        #expect(!report.objects.isEmpty, "the collector deleted what it judged")
        let landed = try #require(await ingest.value)
        _ = try await landed.value
        #expect(try await workspace { _ in }.verifyStore().ok)
        var data = Data()
        try await workspace { _ in }.cat("raw.customers", in: "sandbox/b") { data.append(contentsOf: $0) }
        #expect(String(decoding: data, as: UTF8.self).hasPrefix("customer_id,"))
    }
}

/// Set once.
actor Flag {
    private(set) var isSet = false

    func set() { isSet = true }
}

/// A value handed from one task to another.
actor Box<Value: Sendable> {
    private(set) var value: Value?

    func put(_ value: Value) { self.value = value }
}
