import Foundation
import SluiceCore
import SluiceStore

/// A project folder under the system temporary directory, removed when the value is released.
final class TemporaryProject {
    let root: URL

    init(files: [String: String] = [:]) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        for (path, content) in files { try write(path, content) }
    }

    deinit { try? FileManager.default.removeItem(at: root) }

    func write(_ path: String, _ content: String) throws {
        let url = root.appendingPathComponent(path)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(content.utf8).write(to: url)
    }

    func load() throws -> (Project?, [Diagnostic]) {
        try ProjectLoader(files: LocalFileSource()).load(root: root)
    }

    /// Error diagnostics rendered as `file:line:column: message`.
    func errors() throws -> [String] {
        try load().1.filter { $0.severity == .error }.map(\.description)
    }
}

/// A git state fixed by the test.
struct FixedGit: GitInspector {
    var state: GitState

    static let clean = FixedGit(state: GitState(commit: String(repeating: "a", count: 40), changes: []))
    static let dirty = FixedGit(state: GitState(commit: String(repeating: "a", count: 40), changes: [" M sluice.yaml"]))
    static let none = FixedGit(state: GitState(commit: nil, changes: []))

    func state(of folder: URL) -> GitState { state }
}

/// The project used by most tests: three zones, protected prod, the four roles of DESIGN.md.
enum Fixture {
    static let projectYAML = """
        project: shop
        zones:
          - { name: raw, lifecycle: { keep: forever } }
          - { name: staged, lifecycle: { keep_versions: 10, keep_days: 90 } }
          - { name: curated, lifecycle: { keep_versions: 30, keep_days: 365 } }
        environments:
          prod: { protected: true }
          dev: { lifecycle: { expire_after_idle: 30d } }
          "sandbox/*": { lifecycle: { expire_after_idle: 7d } }
        roles:
          pipeline: { grants: ["read:*", "write:*", "promote:prod", "delete:*"] }
          engineer: { grants: ["read:*", "write:dev", "write:sandbox/*"] }
          analyst: { grants: ["read:prod:curated"] }
          admin: { grants: ["read:*", "admin:*"] }
        principals:
          ci: { role: pipeline }
          alice: { role: engineer }
          bob: { role: analyst }
          ops: { role: admin }
        sources:
          orders_drop: { path: landing/orders/*.csv, format: csv, into: raw.orders }
        datasets:
          raw.orders:
            owner: data-eng@example.com
            classification: confidential
            columns:
              order_id: { type: int, required: true, unique: true }
              amount: { type: decimal, min: 0 }
          staged.orders: { owner: data-eng@example.com, classification: internal }
        pipelines:
          daily:
            steps:
              clean: { sql: models/clean.sql, inputs: [raw.orders], output: staged.orders }
        quarantine: { lifecycle: { keep_days: 30 } }
        runs: { lifecycle: { keep_days: 90 } }

        """

    static let files = [
        "sluice.yaml": projectYAML,
        "models/clean.sql": "SELECT * FROM raw.orders\n",
        "landing/orders/a.csv": "order_id,amount\n1,10.5\n2,20\n",
    ]
}
