import Foundation
import SluiceTestSupport
import Testing

/// Issue 12: a run's logs are streamed while its step runs (`sluice logs RUN --follow`, locally and through
/// the service, and `GET /runs/{id}/logs?follow=true`), and the stream ends when the run does.
@Suite struct LogFollowTests {
    /// What a process has written to standard output so far.
    final class Output: @unchecked Sendable {
        private let lock = NSLock()
        private var data = Data()
        var text: String { lock.withLock { String(decoding: data, as: UTF8.self) } }
        func append(_ more: Data) { lock.withLock { data.append(more) } }
    }

    static func collect(_ pipe: Pipe) -> Output {
        let output = Output()
        let handle = pipe.fileHandleForReading
        Thread.detachNewThread {
            while true {
                let data = handle.availableData
                if data.isEmpty { return }
                output.append(data)
            }
        }
        return output
    }

    static func wait(for text: String, in output: Output) async throws -> Bool {
        for _ in 0..<150 {
            if output.text.contains(text) { return true }
            try await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    @Test(arguments: ["local", "server"])
    func followingPrintsWhatAStepPrintsWhileItRuns(mode: String) async throws {
        let (project, go) = try ServedProject.talkingProject(
            before: "echo first", after: "echo second >&2; echo third")
        let served = try ServedProject(serving: project)
        let started = try await served.post("/api/v1/runs", #"{"pipeline": "chatty", "environment": "dev"}"#, as: "ci")
        let id = try #require(started.object["id"] as? String, "\(started.object)")

        let arguments = (mode == "server" ? ["--server", "http://127.0.0.1:\(served.port)"] : []) + ["logs", id, "-f"]
        let (process, out, _) = try project.sluice.start(
            arguments, environment: ["SLUICE_TOKEN": project.tokens["alice"] ?? ""])
        defer { if process.isRunning { process.terminate() } }
        let output = Self.collect(out)
        #expect(try await Self.wait(for: "first", in: output), "nothing streamed while the step ran: \(output.text)")
        let run = try await served.get("/api/v1/runs/\(id)", as: "ci").object
        #expect(run["status"] as? String == "running", "the step should still be waiting")
        #expect(process.isRunning, "following stops only when the run ends")

        _ = FileManager.default.createFile(atPath: go, contents: nil)
        #expect(try await Self.wait(for: "third", in: output), "\(output.text)")
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(
            output.text == "== talk, attempt 1 ==\nfirst\nthird\n-- stderr --\nsecond\n"
                || output.text == "== talk, attempt 1 ==\nfirst\n-- stderr --\nsecond\n-- stdout --\nthird\n",
            "\(output.text.debugDescription)")
    }

    @Test func theStreamIsRefusedBeforeItStarts() async throws {
        let served = try ServedProject()
        let runs = try await served.get("/api/v1/runs?limit=1", as: "ci").object["items"] as? [[String: Any]]
        let id = try #require(runs?.first?["id"] as? String)
        let ended = try await served.get("/api/v1/runs/\(id)/logs?follow=true", as: "ci")
        #expect(ended.status == 200)
        let lines = String(decoding: ended.body, as: UTF8.self).split(separator: "\n")
        #expect(!lines.isEmpty && lines.allSatisfy { $0.hasPrefix("{") }, "an ended run streams what it kept")
        #expect(try await served.get("/api/v1/runs/\(id)/logs?follow=true", as: "bob").status == 403)
        #expect(try await served.get("/api/v1/runs/r1/logs?follow=true", as: "ci").status == 404)
        #expect(try await served.get("/api/v1/runs/\(id)/logs?follow=true&step=no", as: "ci").status == 404)
        #expect(try await served.get("/api/v1/runs/\(id)/logs?follow=maybe", as: "ci").errorField == "follow")
    }
}
