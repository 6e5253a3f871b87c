import Foundation
import SluiceCore
import SluiceQuality
import SluiceRunner
import SluiceStore

/// A project folder with a pipeline, on in-memory stores, acting as the `ci` principal.
final class RunnerHarness: @unchecked Sendable {
    let root: URL
    let objects = InMemoryObjectStore()
    let metadata = InMemoryMetadataStore()
    private let lock = NSLock()
    private var clock = Timestamp(milliseconds: 1_790_000_000_000)
    private var sleeps: [Duration] = []

    static func yaml(pipeline: String, datasets: String = "") -> String {
        """
        project: t
        quarantine: { lifecycle: { keep_days: 30 } }
        runs: { lifecycle: { keep_days: 90 } }
        zones:
          - { name: raw, lifecycle: { keep: forever } }
          - { name: staged, lifecycle: { keep_versions: 5 } }
          - { name: curated, lifecycle: { keep_versions: 5 } }
        environments:
          dev: { lifecycle: { expire_after_idle: 30d } }
          prod: { protected: true }
        roles:
          pipeline: { grants: ["read:*", "write:*", "promote:prod"] }
          engineer: { grants: ["read:*", "write:dev"] }
        principals:
          ci: { role: pipeline }
          alice: { role: engineer }
        sources:
          orders: { path: landing/orders.csv, format: csv, into: raw.orders, mode: snapshot }
        datasets:
          raw.orders:
            owner: t
            classification: internal
            columns:
              id: { type: int, required: true, unique: true }
              amount: { type: decimal }
        \(datasets)
        pipelines:
        \(pipeline)
        """
    }

    init(files: [String: String]) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-run-test-\(UUID().uuidString)")
        for (path, content) in files { try write(path, content) }
        try FileManager.default.createDirectory(at: dropFolder, withIntermediateDirectories: true)
        chmod(dropFolder.path, 0o777)
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    /// `drop/` in the project, writable by anyone: where a step (run as an unprivileged user when the
    /// tests run as root) leaves something for the test to find.
    var dropFolder: URL { root.appendingPathComponent("drop") }

    func write(_ path: String, _ content: String) throws {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(content.utf8).write(to: url)
    }

    var delays: [Duration] { lock.withLock { sleeps } }

    func workspace(
        as principal: String = "ci", checkpoint: @escaping @Sendable (String) async -> Void = { _ in }
    ) throws -> Workspace {
        let project = try ProjectLoader(files: LocalFileSource()).loadValidated(root: root).project
        let role = project.principals[principal].flatMap { project.roles[$0.role] }
        let identity = Identity(principal: principal, role: role, authentication: .token, tokenID: "test")
        return Workspace(
            project: project, objects: objects, metadata: metadata, identity: identity, gate: ContractGate(),
            git: CleanGit(), files: LocalFileSource(),
            now: { [self] in
                lock.withLock {
                    clock = Timestamp(milliseconds: clock.milliseconds + 1)
                    return clock
                }
            }, checkpoint: checkpoint)
    }

    func runner(executor: any StepExecutor = LocalStepExecutor(), as principal: String = "ci") throws -> PipelineRunner
    {
        PipelineRunner(
            workspace: try workspace(as: principal), executor: executor,
            scratch: root.appendingPathComponent(".scratch"),
            sleep: { [self] delay in lock.withLock { sleeps.append(delay) } }, random: { 0.5 })
    }

    func ingest(_ csv: String) async throws {
        try write("landing/orders.csv", csv)
        _ = try await workspace().ingest(source: "orders", environment: "dev")
    }

    func head(_ environment: String = "dev") async throws -> ObjectID? { await metadata.environment(environment)?.head }

    /// A dataset's data in an environment, as text (as `sluice cat` reads it: one header for all its files).
    func read(_ dataset: String, in environment: String = "dev") async throws -> String {
        guard let head = try await head(environment), let commit = await metadata.commit(head),
            commit.content.datasets[dataset] != nil
        else { return "" }
        var data = Data()
        try await workspace().cat(dataset, in: environment) { data.append(contentsOf: $0) }
        return String(decoding: data, as: UTF8.self)
    }
}

/// A project in a clean git work tree at a fixed commit, as promotion requires.
struct CleanGit: GitInspector {
    func state(of folder: URL) -> GitState { GitState(commit: String(repeating: "ab", count: 20), changes: []) }
}
