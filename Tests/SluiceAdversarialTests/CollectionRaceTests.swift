import Foundation
import SluiceCore
import SluiceQuality
import SluiceStore
import Testing

/// Issue 10 item 9: an ingest that publishes bytes the collector has judged unreferenced, after it judged
/// them and before it sweeps, must win: its objects stay and the store verifies.
@Suite struct CollectionRaceTests {
    @Test func aPublishRacingTheSweepWins() async throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-gcrace-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        try ProjectScaffold.write(to: root, name: "race")
        try Data("customer_id,name,email,country,signed_up_at\n1,Ada,a@b.c,GB,2026-01-01T00:00:00Z\n".utf8).write(
            to: root.appendingPathComponent("landing/customers/c.csv"))
        let project = try ProjectLoader(files: LocalFileSource()).loadValidated(root: root).project
        let store = try LocalStore(directory: project.storeDirectory)
        let policy = AppliedPolicy(project: project)
        let ci = Identity(principal: "ci", role: policy.role(ofPrincipal: "ci"), authentication: .token, tokenID: "t")
        @Sendable func workspace(_ checkpoint: @escaping @Sendable (String) async -> Void = { _ in }) -> Workspace {
            Workspace(
                project: project, objects: store.objects, metadata: store.metadata, identity: ci, gate: ContractGate(),
                git: GitWorkTree(), files: LocalFileSource(), checkpoint: checkpoint)
        }
        // The data lands in a sandbox that is then deleted: its objects are referenced by nothing.
        _ = try await workspace().createEnvironment("sandbox/a", from: "dev", ttl: nil)
        _ = try await workspace().ingest(source: "customers_drop", environment: "sandbox/a")
        _ = try await workspace().deleteEnvironment("sandbox/a")
        try await Task.sleep(for: .milliseconds(20))
        // While the collector sits between judging and sweeping, the same bytes are ingested again.
        let racer = workspace()
        let collector = workspace { point in
            guard point == "gc.inventoried" else { return }
            _ = try? await racer.createEnvironment("sandbox/b", from: "dev", ttl: nil)
            _ = try? await racer.ingest(source: "customers_drop", environment: "sandbox/b")
        }
        let report = try await collector.collectGarbage(dryRun: false, grace: TimeSpan(seconds: 0))
        #expect(report.objects.isEmpty, "nothing the racing ingest published was deleted: \(report.objects)")
        #expect(try await workspace().verifyStore().ok)
        var data = Data()
        try await workspace().cat("raw.customers", in: "sandbox/b") { data.append(contentsOf: $0) }
        #expect(String(decoding: data, as: UTF8.self).hasPrefix("customer_id,"))
    }
}
