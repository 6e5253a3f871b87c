import Foundation
import Testing

@testable import SluiceCore

@Suite struct PromotionTests {
    @Test func promotionIsAFastForwardThatCopiesNothing() async throws {
        let harness = try Harness()
        let ingested = try await harness.workspace("alice").ingest(source: "orders_drop", environment: "dev")
        let objectsBefore = try await harness.objects.allObjects().count
        let ci = harness.workspace("ci")
        let first = try await ci.promote(from: "dev", to: "prod")
        #expect(first.previous == nil && first.commit == ingested.commit)
        #expect(first.gitCommit == String(repeating: "a", count: 40))
        #expect(try await harness.objects.allObjects().count == objectsBefore)

        let again = try await ci.promote(from: "dev", to: "prod")
        #expect(again.upToDate)

        try harness.writeLanding("b.csv", "order_id,amount\n3,7\n")
        let second = try await harness.workspace("alice").ingest(source: "orders_drop", environment: "dev")
        let moved = try await ci.promote(from: "dev", to: "prod")
        #expect(moved.previous == ingested.commit && moved.commit == second.commit)
        let history = await harness.metadata.environmentHistory("prod")
        #expect(history.map(\.reason) == ["promote from dev", "promote from dev"])
        #expect(history.allSatisfy { $0.gitCommit == String(repeating: "a", count: 40) })
    }

    @Test func divergedTargetIsAConflictNamingTheDatasets() async throws {
        let harness = try Harness()
        let alice = harness.workspace("alice")
        let ci = harness.workspace("ci")
        _ = try await alice.ingest(source: "orders_drop", environment: "dev")
        _ = try await ci.promote(from: "dev", to: "prod")
        _ = try await alice.createEnvironment("sandbox/a", from: "dev", ttl: nil)
        try harness.writeLanding("b.csv", "order_id,amount\n3,7\n")
        _ = try await alice.ingest(source: "orders_drop", environment: "dev")
        _ = try await ci.promote(from: "dev", to: "prod")
        try harness.writeLanding("c.csv", "order_id,amount\n4,8\n")
        _ = try await alice.ingest(source: "orders_drop", environment: "sandbox/a")
        let prodBefore = await harness.metadata.environment("prod")?.head
        // prod moved on since the sandbox was made, so promoting the sandbox is not a fast-forward.
        do {
            _ = try await ci.promote(from: "sandbox/a", to: "prod")
            Issue.record("expected a conflict")
        } catch let conflict as ConflictError {
            #expect(conflict.status == .conflict)
            #expect(conflict.message.contains("both changed raw.orders ("), "\(conflict.message)")
        }
        #expect(await harness.metadata.environment("prod")?.head == prodBefore)
    }

    @Test func promotionNeedsACleanGitTree() async throws {
        let harness = try Harness()
        _ = try await harness.workspace("alice").ingest(source: "orders_drop", environment: "dev")
        harness.git = .dirty
        await #expect(throws: FailureError.self) {
            _ = try await harness.workspace("ci").promote(from: "dev", to: "prod")
        }
        harness.git = .none
        await #expect(throws: FailureError.self) {
            _ = try await harness.workspace("ci").promote(from: "dev", to: "prod")
        }
        #expect(await harness.metadata.environment("prod") == nil)
        let failures = await harness.metadata.auditEvents().filter { $0.draft.action == "promote" }
        #expect(failures.map(\.draft.outcome) == [.failed, .failed])
    }

    @Test func emptySourceHasNothingToPromote() async throws {
        let harness = try Harness()
        await #expect(throws: UsageError.self) {
            _ = try await harness.workspace("ci").promote(from: "dev", to: "prod")
        }
    }
}
