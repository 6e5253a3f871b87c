import Foundation
import Testing

@testable import SluiceCore

/// Editing, deleting, reordering or truncating audit events is detected, naming the first bad event.
@Suite struct AuditChainTests {
    func harnessWithEvents() async throws -> Harness {
        let harness = try Harness()
        let alice = harness.workspace("alice")
        _ = try await alice.ingest(source: "orders_drop", environment: "dev")
        _ = try await alice.createEnvironment("sandbox/a", from: "dev", ttl: nil)
        _ = try? await alice.promote(from: "dev", to: "prod")
        _ = try await harness.workspace("ci").promote(from: "dev", to: "prod")
        #expect(await harness.metadata.auditEvents().count == 5, "ingest and its gate judgement, env create, promote")
        #expect(try await harness.workspace("ops").verifyAudit().ok)
        return harness
    }

    func verify(_ harness: Harness, after change: ([AuditEvent]) -> [AuditEvent]) async throws -> AuditVerification {
        let events = await harness.metadata.auditEvents()
        await harness.metadata.replaceAuditEvents(change(events))
        return try await harness.workspace("ops").verifyAudit()
    }

    @Test func editedEventIsDetected() async throws {
        let result = try await verify(try await harnessWithEvents()) { events in
            var events = events
            events[2].draft.principal = "ci"
            return events
        }
        #expect(!result.ok && result.firstBadSequence == 3)
        #expect(result.problem?.contains("changed after it was written") == true)
    }

    @Test func deletedEventIsDetected() async throws {
        let result = try await verify(try await harnessWithEvents()) { events in
            var events = events
            events.remove(at: 1)
            return events
        }
        #expect(!result.ok && result.firstBadSequence == 3)
    }

    @Test func reorderedEventsAreDetected() async throws {
        let result = try await verify(try await harnessWithEvents()) { events in
            var events = events
            events.swapAt(1, 2)
            return events
        }
        #expect(!result.ok && result.firstBadSequence == 3)
    }

    @Test func resequencedAndRehashedEditIsDetectedDownstream() async throws {
        // A forger who recomputes the edited event's own hash still breaks the link to the next event.
        let result = try await verify(try await harnessWithEvents()) { events in
            var events = events
            events[1].draft.outcome = .denied
            events[1].hash = try! AuditEvent.computeHash(
                sequence: events[1].sequence, draft: events[1].draft, previousHash: events[1].previousHash)
            return events
        }
        #expect(!result.ok && result.firstBadSequence == 3)
    }

    @Test func truncatedChainIsDetected() async throws {
        let result = try await verify(try await harnessWithEvents()) { Array($0.dropLast()) }
        #expect(!result.ok)
        #expect(result.problem?.contains("removed from the end") == true)
    }
}
