import Foundation
import SluiceCore
import SluiceTestSupport

/// Writes the fixture's records into the store, oldest first, as the engine would have left them.
struct ScaleFixtureWriter {
    let fixture: ScaleFixture
    let objects: any ObjectStore
    let metadata: any MetadataStore
    let project: ScaleFixtureProject
    static let day: Int64 = 86_400_000

    init(fixture: ScaleFixture, objects: any ObjectStore, metadata: any MetadataStore) {
        self.fixture = fixture
        self.objects = objects
        self.metadata = metadata
        project = ScaleFixtureProject(fixture: fixture)
    }

    var now: Int64 { fixture.now.milliseconds }

    func at(_ milliseconds: Int64) -> Timestamp { Timestamp(milliseconds: milliseconds) }

    var datasetNames: [String] {
        (0..<fixture.rawDatasets).map(project.rawName)
            + (0..<fixture.pipelines).flatMap { pipeline in
                (0..<fixture.stepsPerPipeline).map { project.outputName(pipeline: pipeline, step: $0) }
            }
    }

    func tokens() async throws -> [String: String] {
        var made: [String: String] = [:]
        for principal in ["ops", "ci", "alice", "bob"] {
            let secret = TokenSecret.generate()
            let hash = TokenSecret.hash(secret)
            // As `sluice token create` makes them: the id is the hash's prefix, and the chain records it.
            let record = TokenRecord(
                id: String(hash.prefix(12)), principal: principal, secretHash: hash,
                createdAt: at(now - 40 * Self.day), createdBy: "ops")
            try await metadata.saveToken(record)
            try await metadata.appendAudit(
                AuditDraft(
                    time: record.createdAt, principal: "ops", authentication: .token, action: "token.create",
                    target: principal, outcome: .succeeded, details: ["token": record.id, "bootstrap": "false"]))
            made[principal] = secret
        }
        return made
    }

    /// Two versions of every dataset, a history of commits in dev that moves between them, prod promoted
    /// from dev now and then, and a few sandboxes (one past its idle limit, one about to reach it).
    mutating func versionsAndCommits(_ random: inout SplitMix) async throws -> [String] {
        let names = datasetNames
        var versions: [String: [ObjectID]] = [:]
        for (index, name) in names.enumerated() {
            for generation in 0..<2 {
                let version = try await version(name, generation: generation, seed: index)
                versions[name, default: []].append(version.id)
            }
        }
        try await lineage(versions)
        var head: ObjectID?
        var prodHead: ObjectID?
        let start = now - 30 * Self.day
        for number in 0..<fixture.commits {
            let time = start + Int64(number) * (30 * Self.day / Int64(fixture.commits))
            let content = CommitContent(
                parents: head.map { [$0] } ?? [], datasets: datasets(names, versions: versions, commit: number),
                actor: number % 4 == 0 ? "alice" : "ci", message: "commit \(number)", gitCommit: nil,
                runID: number % 2 == 0 ? "r-fixture-\(number)" : nil, createdAt: at(time))
            let commit = try Commit(content)
            try await metadata.saveCommit(commit)
            try await move("dev", from: head, to: commit.id, at: time, by: content.actor)
            head = commit.id
            if number % 10 == 3 {
                try await move("prod", from: prodHead, to: commit.id, at: time + 60_000, by: "ci")
                prodHead = commit.id
            }
        }
        for (index, idle) in [Int64(1), 3, 6, 8, 12].enumerated() {
            let name = "sandbox/user\(index)"
            try await metadata.createEnvironment(
                EnvironmentRecord(
                    name: name, head: head, createdAt: at(now - 20 * Self.day), createdBy: "alice", base: "dev"),
                audit: nil)
            try await metadata.touchEnvironment(name, at: at(now - idle * Self.day))
        }
        _ = random.next()
        return names
    }

    /// Each step output's versions were made from the same generation of the step's input.
    private func lineage(_ versions: [String: [ObjectID]]) async throws {
        for pipeline in 0..<fixture.pipelines {
            for step in 0..<fixture.stepsPerPipeline {
                let output = project.outputName(pipeline: pipeline, step: step)
                let input =
                    step == 0
                    ? project.rawName(pipeline % fixture.rawDatasets)
                    : project.outputName(pipeline: pipeline, step: (step - 1) / 2)
                for generation in 0..<2 {
                    try await metadata.saveLineage(
                        LineageRecord(
                            version: versions[output]![generation], dataset: DatasetName(output)!,
                            pipeline: "pipeline_\(String(format: "%02d", pipeline))", runID: "r-fixture-\(generation)",
                            step: "step_\(step)", environment: "dev", inputs: [input: versions[input]![generation]],
                            cacheKey: "fixture", gitCommit: nil, startedAt: at(now - 20 * Self.day),
                            endedAt: at(now - 20 * Self.day + 1_000)))
                }
            }
        }
    }

    /// What commit `number` holds: every dataset at its first or second version (switching every 50 commits
    /// after the first 100); in the last five commits, one dataset in seven flipped and one in fifty new, so
    /// that dev runs ahead of prod.
    private func datasets(_ names: [String], versions: [String: [ObjectID]], commit number: Int) -> [String: ObjectID] {
        let last = number >= fixture.commits - 5
        var held: [String: ObjectID] = [:]
        for (index, name) in names.enumerated() {
            if index % 50 == 49 && !last { continue }
            var generation = (index + number / 50) % 3 == 0 && number > 100 ? 1 : 0
            if last && index % 7 == 0 { generation = 1 - generation }
            held[name] = versions[name]![generation]
        }
        return held
    }

    private func move(
        _ environment: String, from: ObjectID?, to: ObjectID, at time: Int64, by actor: String
    )
        async throws
    {
        try await metadata.moveEnvironment(
            RefMove(
                environment: environment, from: from, to: to, actor: actor,
                reason: environment == "prod" ? "promote from dev" : "run landed", gitCommit: nil, at: at(time)),
            template: EnvironmentRecord(
                name: environment, head: nil, createdAt: at(time), createdBy: actor, lastUsedAt: at(now)),
            audit: nil)
    }

    private func version(_ name: String, generation: Int, seed: Int) async throws -> DatasetVersion {
        let raw = name.hasPrefix("raw.")
        // The second version of a raw dataset gained a column, as real sources do.
        let wide = raw && generation == 1
        var text = raw ? (wide ? "id,email,amount,at,country\n" : "id,email,amount,at\n") : "id,at\n"
        for row in 0..<40 {
            let id = row + generation * 1000
            let stamp = "2026-11-\(String(format: "%02d", 1 + (row + seed) % 27))T10:00:00Z"
            text +=
                raw
                ? "\(id),user\(id)@example.com,\(Double(row * 7 + seed) / 4),\(stamp)\(wide ? ",GB" : "")\n"
                : "\(id),\(stamp)\n"
        }
        let data = Data(text.utf8)
        let object = try await objects.put(data)
        let version = try DatasetVersion(
            manifest: VersionManifest(
                dataset: DatasetName(name)!, format: .csv,
                files: [
                    ManifestFile(
                        name: "part-0.csv", chunks: [ChunkRef(object: object, bytes: Int64(data.count))], rows: 40)
                ],
                schema: raw ? ["id", "email", "amount", "at"] + (wide ? ["country"] : []) : ["id", "at"]),
            createdAt: at(now - Int64(30 - generation * 20) * Self.day - Int64(seed) * 60_000), createdBy: "ci")
        try await metadata.saveVersion(version)
        return version
    }
}
