import Foundation
import SluiceTestSupport
import Testing

/// Issue 12: a landing file starts its pipeline inside `sluice serve`; SIGTERM while a step runs stops the
/// service within its grace period: the step's process is killed, the run ends cancelled and audited, and the
/// service exits 0.
@Suite struct ServiceShutdownTests {
    @Test func sigtermDuringARunLeavesACancelledAuditedRunAndNoOrphan() async throws {
        let project = try CLIProject()
        try project.makeTokens()
        try project.ingestCustomers()
        try FileManager.default.createDirectory(
            at: project.folder.appendingPathComponent("drop"), withIntermediateDirectories: true)
        chmod(project.folder.appendingPathComponent("drop").path, 0o777)
        try project.write("drop/pid", "")
        chmod(project.folder.appendingPathComponent("drop/pid").path, 0o666)
        try project.edit("sluice.yaml") {
            $0 + """
                  slow:
                    on: [orders_drop]
                    steps:
                      wait: { command: [sh, -c, 'echo $$ > "$1"; exec sleep 600', sh, "\(project.folder.path)/drop/pid"] }

                """
        }
        try project.commit("a pipeline started by new orders")
        let (process, out, _) = try project.sluice.start(["serve", "--port", "0", "--grace", "1"])
        defer { if process.isRunning { process.terminate() } }
        _ = out.fileHandleForReading.availableData  // listening

        // The orders file lands (it is older than the settle time), and the watcher starts `slow`.
        let landing = project.folder.appendingPathComponent("landing/orders/2026-11-24.csv")
        try FileManager.default.setAttributes(
            [.modificationDate: Date(timeIntervalSinceNow: -60)], ofItemAtPath: landing.path)
        var pid: Int32?
        for _ in 0..<100 where pid == nil {
            try await Task.sleep(for: .milliseconds(200))
            let text =
                (try? String(contentsOf: project.folder.appendingPathComponent("drop/pid"), encoding: .utf8)) ?? ""
            pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
        }
        let step = try #require(pid, "the triggered run never started its step")
        #expect(kill(step, 0) == 0, "the step is running")

        process.terminate()  // SIGTERM
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(await processEnds(step), "the step's process outlived the service")
        let runs = try project.run(as: "ops", ["runs", "--pipeline", "slow", "--json"])
        let records = try #require(try JSONSerialization.jsonObject(with: Data(runs.stdout.utf8)) as? [[String: Any]])
        #expect(records.first?["status"] as? String == "cancelled", "\(runs.stdout)")
        let audit = try project.run(as: "ops", ["audit", "--action", "run.finish", "--json"]).stdout
        #expect(audit.contains("cancelled"), "\(audit)")
    }
}

/// Whether process `pid` is gone (or a zombie) within `seconds`.
func processEnds(_ pid: Int32, within seconds: Double = 5) async -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while true {
        let state = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8))?.split(separator: " ")
        if state == nil || state?[2] == "Z" { return true }
        if Date() >= deadline { return false }
        try? await Task.sleep(for: .milliseconds(100))
    }
}
