import Foundation
import SluiceFixtures
import SluiceTestSupport

/// The scale fixture (20 pipelines, 5,000 runs, 200 datasets, 20,000 audit events), made once per test
/// process and served by `sluice serve`.
final class ServedFixture: @unchecked Sendable {
    let made: ScaleFixture.Made
    let process: Process
    let port: Int
    var base: String { "http://127.0.0.1:\(port)" }

    private init(made: ScaleFixture.Made) throws {
        self.made = made
        let binary = SluiceBinary(folder: made.folder)
        // Beside the project, not in it: the policy is applied from a clean work tree.
        let log = made.folder.appendingPathExtension("serve.log")
        let (process, out, _) = try binary.start(["serve", "--port", "0"], stderrFile: log)
        self.process = process
        port = try ServedProject.port(from: out, process: process)
    }

    deinit {
        if process.isRunning { process.terminate() }
        try? FileManager.default.removeItem(at: made.folder)
        try? FileManager.default.removeItem(at: made.folder.appendingPathExtension("serve.log"))
    }

    private static let shared = Task { () throws -> ServedFixture in
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-scale-\(UUID().uuidString)")
        // The one fixture of the run is never released: its folder and log go when the test process ends.
        TestLeftovers.track(folder: folder)
        TestLeftovers.track(folder: folder.appendingPathExtension("serve.log"))
        return try ServedFixture(made: try await ScaleFixture().make(in: folder))
    }

    /// The one served fixture of this test process.
    static func get() async throws -> ServedFixture { try await shared.value }
}
