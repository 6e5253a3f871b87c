import Foundation
import SluiceStore
import Testing

@testable import SluiceCore

/// Lifecycle on an injected clock: environments past their idle TTL expire, used ones stay, prod and all
/// it reaches are never touched, and only objects nothing kept refers to are deleted.
@Suite struct GarbageCollectionTests {
    func cat(_ harness: Harness, _ reference: String, in environment: String) async throws -> String {
        var text = Data()
        try await harness.workspace("alice").cat(reference, in: environment) { text.append(contentsOf: $0) }
        return String(decoding: text, as: UTF8.self)
    }

    /// dev holds the fixture's orders; sandbox/a gets its own data, sandbox/b only dev's.
    func twoSandboxes() async throws -> Harness {
        let harness = try Harness()
        let alice = harness.workspace("alice")
        _ = try await alice.ingest(source: "orders_drop", environment: "dev")
        _ = try await alice.createEnvironment("sandbox/a", from: "dev", ttl: nil)
        _ = try await alice.createEnvironment("sandbox/b", from: "dev", ttl: nil)
        try harness.folder.write("elsewhere/only-a.csv", "order_id,amount\n7,1\n8,2\n")
        _ = try await alice.ingest(
            source: "orders_drop", environment: "sandbox/a",
            files: [harness.folder.root.appendingPathComponent("elsewhere/only-a.csv")])
        return harness
    }

    @Test func anIdleSandboxExpiresWhileARecentlyReadOneStays() async throws {
        let harness = try await twoSandboxes()
        harness.advance(days: 5)
        _ = try await cat(harness, "raw.orders", in: "sandbox/b")  // a read counts as use
        harness.advance(days: 3)
        let before = try await harness.objects.inventory()

        let plan = try await harness.workspace("ci").collectGarbage(dryRun: true)
        #expect(plan.environments.map(\.name) == ["sandbox/a"])
        #expect(plan.environments.first?.rule == "expire_after_idle 1w")
        #expect(plan.environments.first?.idleSeconds ?? 0 >= 8 * 86_400)
        #expect(!plan.objects.isEmpty && plan.bytes > 0, "sandbox/a's own data goes with it")
        // A dry run changes nothing.
        #expect(await harness.metadata.environment("sandbox/a") != nil)
        #expect(try await harness.objects.inventory() == before)

        let done = try await harness.workspace("ci").collectGarbage(dryRun: false)
        #expect(done.environments.map(\.deleted) == [true])
        #expect(done.objects.map(\.id) == plan.objects.map(\.id))
        #expect(await harness.metadata.environment("sandbox/a") == nil)
        #expect(try await cat(harness, "raw.orders", in: "sandbox/b").contains("2,20"))
        #expect(try await cat(harness, "raw.orders", in: "dev").contains("1,10.5"))
        #expect(try await harness.workspace("ci").verifyStore().ok)
        let events = await harness.metadata.auditEvents().map(\.draft)
        #expect(events.contains { $0.action == "gc.expire" && $0.target == "sandbox/a" })
        #expect(events.contains { $0.action == "gc.delete" && $0.details["count"] == "\(done.objects.count)" })

        // Nothing left to do: collecting again deletes nothing.
        let again = try await harness.workspace("ci").collectGarbage(dryRun: false)
        #expect(again.environments.isEmpty && again.objects.isEmpty)
    }

    @Test func prodAndEverythingItReachesAreNeverTouched() async throws {
        let harness = try await twoSandboxes()
        harness.git = .clean
        _ = try await harness.workspace("ci").promote(from: "dev", to: "prod")
        harness.advance(days: 400)  // dev, sandbox/a and sandbox/b all expire
        let done = try await harness.workspace("ci").collectGarbage(dryRun: false)
        #expect(Set(done.environments.map(\.name)) == ["dev", "sandbox/a", "sandbox/b"])
        #expect(await harness.metadata.environment("prod") != nil)
        #expect(try await cat(harness, "raw.orders", in: "prod").contains("1,10.5"))
        #expect(try await harness.workspace("ci").verifyStore().ok)
    }

    @Test func recentObjectsAndUsesRacingTheCollectorAreKept() async throws {
        let harness = try await twoSandboxes()
        harness.advance(days: 8)
        // Written just now and referenced by nothing yet (an ingest between publishing and moving its ref).
        let fresh = try await harness.put(Data("in flight".utf8))
        let done = try await harness.workspace("ci").collectGarbage(dryRun: false)
        #expect(!done.objects.contains { $0.id == fresh })
        #expect(done.keptRecent >= 1)
        #expect(try await harness.objects.contains(fresh))
    }

    /// A writer that died between marking its bytes and publishing them leaves a mark of nothing; a collection
    /// past the grace period drops it, and keeps the marks of what is stored.
    @Test func marksOfBytesNeverStoredAreDropped() async throws {
        let harness = try await twoSandboxes()
        let never = ObjectID.hashing(Data("marked, never published".utf8))
        _ = await harness.metadata.markWritten([never], at: harness.now())
        let stored = try await harness.put(Data("kept by a run record".utf8))
        harness.advance(days: 1)
        _ = try await harness.workspace("ci").collectGarbage(dryRun: false)
        let marks = await harness.metadata.objectMarks()
        #expect(marks[never] == nil)
        #expect(try await harness.objects.contains(stored) == (marks[stored] != nil))
    }

    @Test func onlyAPrincipalWhoMayDeleteCollects() async throws {
        let harness = try await twoSandboxes()
        await #expect(throws: AccessDenied.self) {
            try await harness.workspace("alice").collectGarbage(dryRun: true)
        }
        let events = await harness.metadata.auditEvents().map(\.draft)
        #expect(events.contains { $0.action == "gc" && $0.outcome == .denied })
    }

    @Test func statusWarnsAboutEnvironmentsExpiringWithinAWeek() async throws {
        let harness = try await twoSandboxes()
        harness.advance(days: 2)
        let status = try await harness.workspace("alice").status()
        #expect(Set(status.expiringSoon.map(\.name)) == ["sandbox/a", "sandbox/b"])
    }

    @Test func runRecordsAndQuarantinedBatchesExpireByTheirLifecycles() async throws {
        let harness = try Harness()
        let alice = harness.workspace("alice")
        // A refused batch goes to quarantine (order 2 has a negative amount).
        try harness.writeLanding("bad.csv", "order_id,amount\n1,1\n2,-5\n")
        await #expect(throws: GateFailed.self) { try await alice.ingest(source: "orders_drop", environment: "dev") }
        let batch = try #require(await harness.metadata.quarantines().first)
        // An old run whose log is an object only it refers to, and a run still going.
        let log = try await harness.put(Data("old output".utf8))
        var old = RunRecord(
            id: "r-old", pipeline: "daily", environment: "dev", principal: "ci", traceID: "t", gitCommit: nil,
            baseCommit: nil, maxParallel: 1, startedAt: harness.now(), steps: [StepRun(step: "clean", status: .failed)])
        old.status = .failed
        old.endedAt = harness.now()
        var attempt = StepAttempt(number: 1, startedAt: harness.now())
        attempt.stdout = log
        old.steps[0].attempts = [attempt]
        await harness.metadata.saveRun(old)
        var going = old
        going.id = "r-going"
        going.status = .running
        going.endedAt = nil
        going.steps = [StepRun(step: "clean", status: .running)]
        await harness.metadata.saveRun(going)

        harness.advance(days: 29)
        await harness.metadata.beatRun("r-going", at: harness.now())  // still going: its process beats
        let early = try await harness.workspace("ci").collectGarbage(dryRun: true)
        #expect(early.quarantines.isEmpty && early.runs.isEmpty, "quarantine keeps 30 days, runs 90")

        harness.advance(days: 62)  // 91 days on
        await harness.metadata.beatRun("r-going", at: harness.now())
        let plan = try await harness.workspace("ci").collectGarbage(dryRun: true)
        #expect(plan.quarantines.map(\.id) == [batch.id] && plan.quarantines.first?.rule == "keep_days 30")
        #expect(plan.runs.map(\.id) == ["r-old"], "a run still going never expires")
        #expect(plan.objects.contains { $0.id == log })
        let done = try await harness.workspace("ci").collectGarbage(dryRun: false)
        #expect(done.runs.map(\.deleted) == [true] && done.quarantines.map(\.deleted) == [true])
        let oldRun = await harness.metadata.run("r-old")
        let goingRun = await harness.metadata.run("r-going")
        #expect(oldRun == nil && goingRun != nil)
        #expect(await harness.metadata.quarantines().isEmpty)
        #expect(try await !harness.objects.contains(log))
        #expect(try await harness.workspace("ci").verifyStore().ok)
    }

    @Test func quarantineAndRunsNeedALifecycle() throws {
        var files = Fixture.files
        files["sluice.yaml"] = Fixture.projectYAML
            .replacingOccurrences(of: "quarantine: { lifecycle: { keep_days: 30 } }\n", with: "")
            .replacingOccurrences(of: "runs: { lifecycle: { keep_days: 90 } }\n", with: "")
        let errors = try TemporaryProject(files: files).errors()
        #expect(errors.contains { $0.contains("quarantined batches have no lifecycle") })
        #expect(errors.contains { $0.contains("run records and their logs have no lifecycle") })
    }

    @Test func versionsBeyondKeepVersionsAndKeepDaysGoWhileProdsStay() async throws {
        var files = Fixture.files
        files["sluice.yaml"] = Fixture.projectYAML.replacingOccurrences(
            of: "{ name: raw, lifecycle: { keep: forever } }",
            with: "{ name: raw, lifecycle: { keep_versions: 2, keep_days: 10 } }")
        let harness = try Harness(files: files)
        harness.git = .clean
        let alice = harness.workspace("alice")
        var versions: [ObjectID] = []
        for index in 1...5 {
            try harness.folder.write("landing/orders/a.csv", "order_id,amount\n\(index),\(index).5\n")
            versions.append(try await alice.ingest(source: "orders_drop", environment: "dev").version)
            if index <= 2 { _ = try await harness.workspace("ci").promote(from: "dev", to: "prod") }
            harness.advance(days: 5)
        }
        harness.advance(days: 20)
        let plan = try await harness.workspace("ci").collectGarbage(dryRun: true)
        // v1: in prod's history; v2: prod's current version; v4, v5: the newest two; v3: beyond both limits.
        #expect(plan.versions.map(\.version) == [versions[2]])
        #expect(plan.versions.first?.rule == "keep_days 10, keep_versions 2")
        let done = try await harness.workspace("ci").collectGarbage(dryRun: false)
        #expect(done.versions.map(\.version) == [versions[2]])
        #expect(!done.objects.isEmpty)
        #expect(try await harness.workspace("ci").verifyStore().ok, "history naming a let-go version is no damage")
        await #expect(throws: UsageError.self) {
            _ = try await cat(harness, "raw.orders@\(versions[2].hex.prefix(8))", in: "dev")
        }
        #expect(try await cat(harness, "raw.orders@\(versions[3].hex.prefix(8))", in: "dev").contains("4,4.5"))
        #expect(try await cat(harness, "raw.orders@\(versions[0].hex.prefix(8))", in: "prod").contains("1,1.5"))
        #expect(try await cat(harness, "raw.orders", in: "prod").contains("2,2.5"))
        let again = try await harness.workspace("ci").collectGarbage(dryRun: false)
        #expect(again.versions.isEmpty && again.objects.isEmpty)
    }
}

/// A run whose process died is recognised by its silence: abandoned, it no longer holds its staging
/// environment, and `cancelRun` ends it.
@Suite struct AbandonedRunTests {
    @Test func aSilentRunIsAbandonedAndCanBeCancelled() async throws {
        let harness = try Harness()
        let run = RunRecord(
            id: "r-dead", pipeline: "daily", environment: "dev", principal: "ci", traceID: "t", gitCommit: nil,
            baseCommit: nil, maxParallel: 1, startedAt: harness.now(), steps: [StepRun(step: "clean", status: .running)]
        )
        await harness.metadata.saveRun(run)
        #expect(!run.isAbandoned(at: harness.now()))
        harness.advance(days: 1)
        let stored = try #require(await harness.metadata.run("r-dead"))
        #expect(stored.isAbandoned(at: harness.now()))
        await #expect(throws: AccessDenied.self) { _ = try await harness.workspace("bob").cancelRun("r-dead") }
        #expect(try await harness.workspace("ci").cancelRun("r-dead") == .marked)
        let ended = try #require(await harness.metadata.run("r-dead"))
        #expect(ended.status == .cancelled && ended.steps.first?.status == .skipped)
        #expect(await harness.metadata.auditEvents().contains { $0.draft.action == "run.cancel-request" })
    }
}
