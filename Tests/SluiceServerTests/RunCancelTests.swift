import Foundation
import SluiceTestSupport
import Testing

/// A run inside the service shares the service's process: cancelling it must stop that run alone, never
/// signal the service (which would shut it down, with every other run in it).
@Suite struct RunCancelTests {
    /// A project whose `slow` pipeline's step sleeps until it is killed.
    static func slowProject() throws -> CLIProject {
        let project = try CLIProject()
        try project.makeTokens()
        try project.edit("sluice.yaml") {
            $0 + """
                  slow:
                    steps:
                      wait: { command: [sleep, "600"] }

                """
        }
        try project.commit("a slow pipeline")
        return project
    }

    func start(_ served: ServedProject) async throws -> String {
        let started = try await served.post("/api/v1/runs", #"{"pipeline": "slow", "environment": "dev"}"#, as: "ci")
        #expect(started.status == 202, "\(String(decoding: started.body, as: UTF8.self))")
        let id = try #require(started.object["id"] as? String)
        for _ in 0..<300 {
            let run = try await served.get("/api/v1/runs/\(id)", as: "ci").object
            if (run["steps"] as? [[String: Any]])?.first?["status"] as? String == "running" { return id }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("run \(id) never started its step")
        return id
    }

    func status(of id: String, in served: ServedProject) async throws -> String? {
        for _ in 0..<300 {
            let status = try await served.get("/api/v1/runs/\(id)", as: "ci").object["status"] as? String
            if status != "running" { return status }
            try await Task.sleep(for: .milliseconds(100))
        }
        return "running"
    }

    @Test func cancellingOneRunThroughTheAPIStopsThatRunAndNothingElse() async throws {
        let served = try ServedProject(serving: try Self.slowProject())
        let first = try await start(served)
        let second = try await start(served)

        let cancel = try await served.post("/api/v1/runs/\(first)/cancel", "{}", as: "ci")
        #expect(cancel.status == 200)
        #expect(cancel.object["outcome"] as? String == "signalled")
        #expect(try await status(of: first, in: served) == "cancelled")
        #expect(served.process.isRunning, "cancelling a run shut the service down")
        #expect(try await served.get("/healthz").status == 200)
        let other = try await served.get("/api/v1/runs/\(second)", as: "ci").object
        #expect(other["status"] as? String == "running", "cancelling one run stopped another")
        let run = try await served.get("/api/v1/runs/\(first)", as: "ci").object
        #expect((run["message"] as? String)?.contains("ci asked through the API") == true, "\(run)")
        _ = try await served.post("/api/v1/runs/\(second)/cancel", "{}", as: "ci")
        #expect(try await status(of: second, in: served) == "cancelled")
    }

    @Test func theCommandLineCannotCancelAServiceRunBySignallingTheService() async throws {
        let served = try ServedProject(serving: try Self.slowProject())
        let id = try await start(served)
        let local = try served.project.run(as: "ci", ["runs", "cancel", id])
        #expect(local.status == 4, "\(local.stderr)")
        #expect(local.stderr.contains("inside the service"), "\(local.stderr)")
        try await Task.sleep(for: .milliseconds(300))
        #expect(served.process.isRunning, "the command line signalled the service")
        #expect(try await served.get("/api/v1/runs/\(id)", as: "ci").object["status"] as? String == "running")
        _ = try await served.post("/api/v1/runs/\(id)/cancel", "{}", as: "ci")
        #expect(try await status(of: id, in: served) == "cancelled")
    }
}
