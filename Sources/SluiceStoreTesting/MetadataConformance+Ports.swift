import Foundation
import SluiceCore

extension MetadataConformance {
    /// Checks of the requirements the scenario checks do not reach.
    static let portChecks: [ConformanceCheck<any MetadataStore>] = [
        ConformanceCheck("versionsLetGoAreMarkedOnce") { try await versionsLetGoAreMarkedOnce($0) },
        ConformanceCheck("statisticsCountEachObjectOncePerZone") { try await statisticsCountEachObjectOncePerZone($0) },
        ConformanceCheck("environmentsListsWhatIsStored") { try await environmentsListsWhatIsStored($0) },
        ConformanceCheck("theNewestGateResultOfAVersionIsFound") { try await theNewestGateResultOfAVersionIsFound($0) },
        ConformanceCheck("quarantinesAreListedNewestFirstAndDeletedOnce") {
            try await quarantinesAreListedNewestFirstAndDeletedOnce($0)
        },
        ConformanceCheck("onlyARunningRunBeatsAndARunIsDeletedOnce") {
            try await onlyARunningRunBeatsAndARunIsDeletedOnce($0)
        },
        ConformanceCheck("theCacheFindsTheNewestStepRunThatEndedWell") {
            try await theCacheFindsTheNewestStepRunThatEndedWell($0)
        },
    ]

    /// `cachedStep` answers as `CachedStep.newest` over the pipeline's runs, as runs are saved, replaced and
    /// deleted: the newest good step run with the key, the run that first made reused outputs, never a failed
    /// step or one without outputs.
    static func theCacheFindsTheNewestStepRunThatEndedWell(_ store: any MetadataStore) async throws {
        let made = ObjectID.hashing(Data("made".utf8))
        let again = ObjectID.hashing(Data("again".utf8))
        func run(
            _ id: String, _ status: StepStatus, outputs: ObjectID?, key: String = "k", reusedFrom: String? = nil
        )
            -> RunRecord
        {
            var step = StepRun(step: "s", status: status)
            step.cacheKey = key
            step.outputs = outputs.map { ["staged.s": $0] } ?? [:]
            step.reusedFrom = reusedFrom
            return RunRecord(
                id: id, pipeline: "p", environment: "dev", principal: "ci", traceID: "t-\(id)", gitCommit: nil,
                baseCommit: nil, maxParallel: 1, startedAt: Self.time, steps: [step])
        }
        func check(_ expected: CachedStep?, _ what: String) async throws {
            let found = try await store.cachedStep(pipeline: "p", step: "s", cacheKey: "k")
            let rule = CachedStep.newest("s", key: "k", in: try await store.runs(pipeline: "p"))
            try expect(found == expected && found == rule, "\(what): found \(String(describing: found))")
        }
        try await check(nil, "nothing saved")
        try await store.saveRun(run("r1", .running, outputs: nil))
        try await check(nil, "running, no outputs")
        try await store.saveRun(run("r1", .succeeded, outputs: made))
        try await check(CachedStep(run: "r1", outputs: ["staged.s": made]), "succeeded")
        try await store.saveRun(run("r2", .failed, outputs: again))
        try await store.saveRun(run("r3", .succeeded, outputs: again, key: "other"))
        try await check(CachedStep(run: "r1", outputs: ["staged.s": made]), "a failed step and another key")
        try await store.saveRun(run("r4", .cached, outputs: made, reusedFrom: "r1"))
        try await store.saveRun(run("r5", .succeeded, outputs: again))
        try await check(CachedStep(run: "r5", outputs: ["staged.s": again]), "the newest")
        try expect(try await store.deleteRun("r5"))
        try await check(CachedStep(run: "r1", outputs: ["staged.s": made]), "r5 deleted: r4's reuse, made by r1")
        try expect(try await store.cachedStep(pipeline: "q", step: "s", cacheKey: "k") == nil, "another pipeline")
    }

    static func version(_ dataset: String, chunks: [(String, Int64)]) throws -> DatasetVersion {
        let file = ManifestFile(
            name: "\(dataset).csv",
            chunks: chunks.map { ChunkRef(object: ObjectID.hashing(Data($0.0.utf8)), bytes: $0.1) }, rows: 1)
        let manifest = VersionManifest(dataset: DatasetName(dataset)!, format: .csv, files: [file], schema: ["x"])
        return try DatasetVersion(manifest: manifest, createdAt: Self.time, createdBy: "t")
    }

    /// A version let go keeps the time it was first let go; marking it again changes nothing.
    static func versionsLetGoAreMarkedOnce(_ store: any MetadataStore) async throws {
        let a = try version("raw.a", chunks: [("a", 1)])
        let b = try version("raw.b", chunks: [("b", 1)])
        try expect(try await store.collectedVersions().isEmpty)
        try await store.markCollected([a.id, b.id], at: Self.time)
        try await store.markCollected([a.id], at: Timestamp(milliseconds: Self.time.milliseconds + 5))
        try await store.markCollected([], at: Self.time)
        try expect(try await store.collectedVersions() == [a.id: Self.time, b.id: Self.time])
    }

    /// Versions and bytes by zone; an object shared by versions of one zone counts once there, and once in
    /// each other zone holding it.
    static func statisticsCountEachObjectOncePerZone(_ store: any MetadataStore) async throws {
        try expect(try await store.versionStatistics().isEmpty)
        try await store.saveVersion(try version("raw.a", chunks: [("shared", 10), ("a", 5)]))
        try await store.saveVersion(try version("raw.b", chunks: [("shared", 10)]))
        try await store.saveVersion(try version("curated.c", chunks: [("shared", 10), ("c", 7), ("c", 7)]))
        let statistics = try await store.versionStatistics()
        let raw = try require(statistics["raw"])
        try expect(raw.versions == 2 && raw.objects == 2 && raw.objectBytes == 15, "\(raw)")
        let curated = try require(statistics["curated"])
        try expect(curated.versions == 1 && curated.objects == 2 && curated.objectBytes == 17, "\(curated)")
        try expect(raw.versionBytes + curated.versionBytes == 15 + 10 + 24, "\(statistics)")
    }

    /// Every stored environment is listed, whether created or made by its first move; a deleted one is not.
    static func environmentsListsWhatIsStored(_ store: any MetadataStore) async throws {
        try expect(try await store.environments().isEmpty)
        let (first, _) = try await twoCommits(in: store)
        try await store.createEnvironment(template("dev"), audit: nil)
        try await store.moveEnvironment(move("prod", from: nil, to: first.id), template: template("prod"), audit: nil)
        let listed = try await store.environments()
        try expect(Set(listed.map(\.name)) == ["dev", "prod"], "\(listed)")
        try expect(listed.first { $0.name == "prod" }?.head == first.id)
        let dev = try require(listed.first { $0.name == "dev" })
        try expect(try await store.deleteEnvironment(dev))
        try expect(try await store.environments().map(\.name) == ["prod"])
    }

    /// The gate result that judged a version is found by it: the newest when it was judged again.
    static func theNewestGateResultOfAVersionIsFound(_ store: any MetadataStore) async throws {
        let judged = try version("raw.a", chunks: [("a", 1)])
        let identity = Identity(principal: "ci", role: nil, authentication: .token)
        for (id, at) in [("old", Self.time.milliseconds), ("new", Self.time.milliseconds + 10)] {
            let report = ValidationReport(
                dataset: "raw.a", files: [], rows: 1, validRows: 1, invalidRows: 0, batchProblems: [], checks: [],
                checkedAt: Timestamp(milliseconds: at))
            let run = CheckRun(
                id: id, dataset: judged.dataset, environment: "dev", version: judged.id, quarantine: nil,
                origin: "test", passed: true, report: report, at: Timestamp(milliseconds: at))
            try await store.saveCheckRun(run, audit: try run.auditDraft(by: identity, at: Timestamp(milliseconds: at)))
        }
        try expect(try await store.checkRun(forVersion: judged.id)?.id == "new")
        try expect(try await store.checkRun(forVersion: try version("raw.b", chunks: [("b", 1)]).id) == nil)
    }

    /// Quarantined batches come back as saved, the newest first; a batch is deleted once.
    static func quarantinesAreListedNewestFirstAndDeletedOnce(_ store: any MetadataStore) async throws {
        func batch(_ id: String, _ offset: Int64) -> QuarantineBatch {
            QuarantineBatch(
                id: id, kind: .rows, dataset: DatasetName("raw.a")!, environment: "dev", origin: "ingest",
                reason: "1 row failed \u{0}checks", rows: 1, files: [], format: .jsonl,
                at: Timestamp(milliseconds: Self.time.milliseconds + offset), by: "ci")
        }
        try expect(try await store.quarantines().isEmpty)
        try await store.saveQuarantine(batch("q1", 0))
        try await store.saveQuarantine(batch("q2", 1))
        try expect(try await store.quarantines() == [batch("q2", 1), batch("q1", 0)])
        try expect(try await store.deleteQuarantine("q1"))
        try expect(!(try await store.deleteQuarantine("q1")))
        try expect(try await store.quarantines().map(\.id) == ["q2"])
    }

    /// A beat is recorded only while the run is recorded as running (an ended run is not revived by a late
    /// beat); a deleted run is gone, and deleting it again says so.
    static func onlyARunningRunBeatsAndARunIsDeletedOnce(_ store: any MetadataStore) async throws {
        var run = RunRecord(
            id: "r1", pipeline: "daily", environment: "dev", principal: "ci", traceID: "t", gitCommit: nil,
            baseCommit: nil, maxParallel: 1, startedAt: Self.time, steps: [])
        try await store.saveRun(run)
        let beat = Timestamp(milliseconds: Self.time.milliseconds + 1_000)
        try await store.beatRun("r1", at: beat)
        try expect(try await store.run("r1")?.heartbeatAt == beat)
        run.status = .succeeded
        run.heartbeatAt = beat
        try await store.saveRun(run)
        try await store.beatRun("r1", at: Timestamp(milliseconds: Self.time.milliseconds + 9_000))
        try expect(try await store.run("r1")?.heartbeatAt == beat, "an ended run does not beat")
        try await store.beatRun("unknown", at: beat)
        try expect(try await store.deleteRun("r1"))
        try expect(try await store.run("r1") == nil)
        try expect(!(try await store.deleteRun("r1")))
    }
}
