import Foundation
import SluiceCore
import SluiceStore

/// A throwaway project with one raw source, a fresh store per run, and a token-authenticated identity.
struct BenchProject {
    let root: URL

    static func create(
        in folder: URL, sourcePath: String, extra: String = "",
        dataset: String = "raw.data: { owner: bench, classification: internal }"
    ) throws -> BenchProject {
        try? FileManager.default.removeItem(at: folder)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let yaml = """
            project: bench
            quarantine: { lifecycle: { keep_days: 30 } }
            runs: { lifecycle: { keep_days: 90 } }
            environments:
              prod: { protected: true }
              dev: { lifecycle: { expire_after_idle: 30d } }
            roles:
              pipeline: { grants: ["read:*", "write:*", "promote:prod", "delete:*"] }
            principals:
              ci: { role: pipeline }
            sources:
              drop: { path: "\(sourcePath)", format: csv, into: raw.data }
            datasets:
              \(dataset)
            \(extra)
            """
        try Data(yaml.utf8).write(to: folder.appendingPathComponent("sluice.yaml"))
        try Data(".sluice/\nlanding/\n".utf8).write(to: folder.appendingPathComponent(".gitignore"))
        try Measure.shell(
            "cd '\(folder.path)' && git init -q && git add -A && git -c user.name=b -c user.email=b@b commit -qm bench")
        return BenchProject(root: folder)
    }

    /// A workspace on a new store in `store` (default: the project's `.sluice/`, emptied first), acting as
    /// the CI principal with a token.
    func workspace(store folder: String? = nil, gate: (any QualityGate)? = nil) throws -> Workspace {
        try workspace(over: try freshStore(folder), gate: gate)
    }

    /// An empty store (in `folder` of the project, or where the project keeps its store): the benchmark may fill
    /// it directly, as a backend's tests do, before it times the engine over it.
    func freshStore(_ folder: String? = nil) throws -> LocalStore {
        let project = try ProjectLoader(files: LocalFileSource()).loadValidated(root: root).project
        let directory = folder.map { root.appendingPathComponent($0) } ?? project.storeDirectory
        try? FileManager.default.removeItem(at: directory)
        return try LocalStore(directory: directory)
    }

    /// The workspace of the `ci` principal over `store`.
    func workspace(over store: LocalStore, gate: (any QualityGate)? = nil) throws -> Workspace {
        let project = try ProjectLoader(files: LocalFileSource()).loadValidated(root: root).project
        let identity = Identity(
            principal: "ci", role: project.roles["pipeline"], authentication: .token, tokenID: "bench")
        return Workspace(
            project: project, objects: store.objects, metadata: store.metadata, identity: identity, gate: gate,
            git: GitWorkTree(), files: LocalFileSource())
    }
}
