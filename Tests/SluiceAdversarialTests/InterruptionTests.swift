import Foundation
import SluiceTestSupport
import Testing

/// Issue 10 item 13: a run stopped by a signal or by `sluice runs cancel` kills its steps, ends cancelled
/// and audited, and leaves the environment as it was; nothing stays `running` forever.
@Suite struct InterruptionTests {
    static func project() throws -> (CLIProject, URL) {
        let project = try CLIProject()
        let drop = project.folder.appendingPathComponent("drop")
        try FileManager.default.createDirectory(at: drop, withIntermediateDirectories: true)
        chmod(drop.path, 0o777)
        try project.write("drop/.keep", "")
        try project.write(
            "pipelines/slow.yaml",
            """
            slow:
              steps:
                wait: { command: [sh, -c, 'sleep 300 & echo $! > "$1/child.pid"; sleep 300', sh, drop/] }

            """)
        try project.commit("slow pipeline")
        try project.makeTokens()
        return (project, drop.appendingPathComponent("child.pid"))
    }

    static func waitForFile(_ url: URL) throws -> Int32 {
        let deadline = Date().addingTimeInterval(60)
        while Date() < deadline {
            if let text = try? String(contentsOf: url, encoding: .utf8),
                let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
            {
                return pid
            }
            Thread.sleep(forTimeInterval: 0.05)
        }
        throw CLIError(message: "the step never started")
    }

    static func isGone(_ pid: Int32) -> Bool {
        for _ in 0..<100 {
            let state = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8))?.split(separator: " ")
            if state == nil || state?[2] == "Z" { return true }
            Thread.sleep(forTimeInterval: 0.05)
        }
        return false
    }

    @Test(arguments: [SIGTERM, SIGINT])
    func aSignalKillsTheStepsAndEndsTheRunCancelled(_ signal: Int32) throws {
        let (project, pidFile) = try Self.project()
        let (process, _, _) = try project.sluice.start(
            ["run", "slow", "--env", "dev"], environment: ["SLUICE_TOKEN": project.tokens["ci"]!])
        let child = try Self.waitForFile(pidFile)
        let started = Date()
        kill(process.processIdentifier, signal)
        process.waitUntilExit()
        #expect(Date().timeIntervalSince(started) < 30)
        #expect(process.terminationStatus == 1)
        #expect(Self.isGone(child), "the step's background child outlived the run")
        let status = try project.sqlite("SELECT status FROM runs")
        #expect(status == "cancelled\n")
        let finish = try project.sqlite("SELECT details FROM audit WHERE action = 'run.finish'")
        #expect(finish.contains("\"status\":\"cancelled\""), "\(finish)")
        #expect(try project.run(["audit", "verify"]).status == 0)
    }

    @Test func runsCancelStopsALiveRunFromAnotherProcess() throws {
        let (project, pidFile) = try Self.project()
        let (process, _, _) = try project.sluice.start(
            ["run", "slow", "--env", "dev"], environment: ["SLUICE_TOKEN": project.tokens["ci"]!])
        let child = try Self.waitForFile(pidFile)
        let runID = try project.sqlite("SELECT id FROM runs").trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(try project.run(as: "bob", ["runs", "cancel", runID]).status == 3, "an analyst may not cancel it")
        let cancel = try project.run(as: "ci", ["runs", "cancel", runID])
        #expect(cancel.status == 0, "\(cancel.stderr)")
        process.waitUntilExit()
        #expect(Self.isGone(child))
        #expect(try project.sqlite("SELECT status FROM runs") == "cancelled\n")
        // Issue 22 item 13: the step that was stopped says so; it did not fail.
        let shown = try project.run(as: "ci", ["runs", "show", runID, "--json"]).stdout
        #expect(
            shown.contains(#""status" : "cancelled""#) && shown.contains("stopped: the run was cancelled"), "\(shown)")
        #expect(shown.contains("stopped by the cancellation (killed by signal"), "\(shown)")
        #expect(try project.run(as: "ci", ["runs", "cancel", runID]).status == 2, "it already ended")
    }

    @Test func gcRemovesWhatKilledWritersLeftInStaging() throws {
        let project = try CLIProject()
        try project.makeTokens()
        #expect(try project.run(["env", "list"]).status == 0)
        let old = project.folder.appendingPathComponent(".sluice/tmp/killed.part")
        let fresh = project.folder.appendingPathComponent(".sluice/tmp/writing.part")
        try Data(count: 4096).write(to: old)
        try Data(count: 10).write(to: fresh)
        var times = [timespec(tv_sec: 1_000_000, tv_nsec: 0), timespec(tv_sec: 1_000_000, tv_nsec: 0)]
        #expect(utimensat(AT_FDCWD, old.path, &times, 0) == 0)
        let plan = try project.run(as: "ci", ["gc", "--dry-run"])
        #expect(plan.stdout.contains("would delete 1 staged files"), "\(plan.stdout)")
        #expect(FileManager.default.fileExists(atPath: old.path))
        #expect(try project.run(as: "ci", ["gc"]).status == 0)
        #expect(!FileManager.default.fileExists(atPath: old.path))
        #expect(
            FileManager.default.fileExists(atPath: fresh.path), "a writer still within the grace period keeps its file")
    }
}
