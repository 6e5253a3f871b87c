import Foundation
import GRDB
import SluiceCore
import SluiceStore
import SluiceStoreTesting
import Testing

/// Issue 25 item 5: a store made before the step cache had its own table finds what its runs left to the cache
/// once it is opened by this version (the migration fills the table from the run records there are).
@Suite struct StepCacheMigrationTests {
    @Test func aStoreFromBeforeTheTableFindsItsCachedSteps() async throws {
        let folder = try ScratchFolder()
        let path = folder.url.appendingPathComponent("m.sqlite").path
        var step = StepRun(step: "s", status: .succeeded)
        step.cacheKey = "k"
        step.outputs = ["staged.s": ObjectID.hashing(Data("made".utf8))]
        let run = RunRecord(
            id: "r1", pipeline: "p", environment: "dev", principal: "ci", traceID: "t", gitCommit: nil,
            baseCommit: nil, maxParallel: 1, startedAt: Timestamp(milliseconds: 1_790_000_000_000), steps: [step])
        do {
            let store = try SQLiteMetadataStore(path: path)
            try await store.saveRun(run)
        }
        // The store as the previous version left it: the run, no step cache, the migration not applied.
        let queue = try DatabaseQueue(path: path)
        try await queue.write { db in
            try db.execute(sql: "DROP TABLE step_cache")
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'v15-step-cache'")
        }
        try queue.close()
        let reopened = try SQLiteMetadataStore(path: path)
        let found = try await reopened.cachedStep(pipeline: "p", step: "s", cacheKey: "k")
        #expect(found == CachedStep(run: "r1", outputs: step.outputs))
    }
}
