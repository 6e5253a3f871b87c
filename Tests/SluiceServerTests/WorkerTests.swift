import Foundation
import SluiceTestSupport
import Testing

/// `sluice worker`: the service's work without its HTTP API, beside `sluice serve` on one store: the
/// lifecycle pass both would run is claimed once and runs (a collection, audited), and SIGTERM ends the worker
/// with status 0.
@Suite("Worker", .serialized)
struct WorkerTests {
    @Test func aWorkerBesideTheServiceSharesItsWorkAndStopsCleanly() async throws {
        let project = try CLIProject()
        try project.makeTokens()
        let served = try ServedProject(serving: project)
        let (worker, out, _) = try project.sluice.start(["worker"])
        defer { if worker.isRunning { worker.terminate() } }
        let first = String(decoding: out.fileHandleForReading.availableData, as: UTF8.self)
        #expect(first.contains("sluice works for"), "\(first)")
        // The lifecycle pass is claimed once between the two, and ran.
        var collections = ""
        for _ in 0..<100 {
            collections = try project.sqlite("SELECT count(*) FROM audit WHERE action = 'gc' AND outcome = 'succeeded'")
            if collections.trimmingCharacters(in: .whitespacesAndNewlines) != "0" { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        // One pass per hourly tick, whoever claimed it (a test running across the hour sees two ticks, two passes).
        let ticks = try project.sqlite("SELECT count(*) FROM ticks WHERE pipeline = 'sluice.gc'")
        #expect(collections.trimmingCharacters(in: .whitespacesAndNewlines) != "0", "a collection: \(collections)")
        #expect(collections == ticks, "one collection per claimed tick: \(collections) for \(ticks)")
        worker.terminate()
        worker.waitUntilExit()
        #expect(worker.terminationStatus == 0)
        _ = served
    }
}
