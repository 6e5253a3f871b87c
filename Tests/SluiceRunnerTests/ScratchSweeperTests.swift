import Foundation
import SluiceCore
import SluiceRunner
import Testing

/// Working folders of killed runs go once their runs ended; live runs and other stores' folders stay.
@Suite struct ScratchSweeperTests {
    @Test func onlyFoldersOfEndedRunsOfThisStoreGo() throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sluice-scratch-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let now = Timestamp.now()
        func run(_ id: String, _ status: RunStatus) -> RunRecord {
            var run = RunRecord(
                id: id, pipeline: "p", environment: "dev", principal: "ci", traceID: "t", gitCommit: nil,
                baseCommit: nil, maxParallel: 1, startedAt: now, steps: [])
            run.status = status
            run.heartbeatAt = now
            return run
        }
        for id in ["ended", "live", "foreign"] {
            let inputs = scratch.appendingPathComponent("sluice-run-\(id)/step.inputs")
            try FileManager.default.createDirectory(at: inputs, withIntermediateDirectories: true)
            try Data("x".utf8).write(to: inputs.appendingPathComponent("a.csv"))
            chmod(inputs.path, 0o555)
            let old = Date(timeIntervalSinceNow: -7200)
            try FileManager.default.setAttributes(
                [.modificationDate: old], ofItemAtPath: scratch.appendingPathComponent("sluice-run-\(id)").path)
        }
        let cutoff = Timestamp(milliseconds: now.milliseconds - 3_600_000)
        let runs = [run("ended", .failed), run("live", .running)]
        let planned = ScratchSweeper.sweep(scratch: scratch, runs: runs, now: now, before: cutoff, dryRun: true)
        #expect(planned.map(\.lastPathComponent) == ["sluice-run-ended"])
        #expect(FileManager.default.fileExists(atPath: scratch.appendingPathComponent("sluice-run-ended").path))
        _ = ScratchSweeper.sweep(scratch: scratch, runs: runs, now: now, before: cutoff, dryRun: false)
        let left = try FileManager.default.contentsOfDirectory(atPath: scratch.path).sorted()
        #expect(left == ["sluice-run-foreign", "sluice-run-live"])
    }
}
