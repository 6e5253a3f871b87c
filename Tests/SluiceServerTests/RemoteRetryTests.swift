import Foundation
import SluiceTestSupport
import Testing

/// Issue 22 item 13: `sluice run --server` prints a step's retries as a local run does.
@Suite struct RemoteRetryTests {
    @Test func aRemoteRunPrintsItsRetries() async throws {
        let project = try CLIProject()
        try project.makeTokens()
        try project.edit("sluice.yaml") {
            $0 + """
                  flaky:
                    steps:
                      fail: { command: [sh, -c, 'exit 7'], retries: { attempts: 2, backoff: 1s } }

                """
        }
        try project.commit("a step that fails twice")
        let local = try project.run(as: "ci", ["run", "flaky", "--env", "dev"])
        #expect(local.status == 1)
        let served = try ServedProject(serving: project)
        let remote = try project.sluice.run(
            ["--server", "http://127.0.0.1:\(served.port)", "run", "flaky", "--env", "dev"],
            environment: ["SLUICE_TOKEN": project.tokens["ci"] ?? ""])
        #expect(remote.status == 1)
        let line = "fail attempt 1 of 2 failed (exited with status 7); retrying"
        #expect((local.stdout + local.stderr).contains(line), "\(local.stdout)\(local.stderr)")
        #expect((remote.stdout + remote.stderr).contains(line), "\(remote.stdout)\(remote.stderr)")
    }
}
