import Foundation
import SluiceCore
import SluiceRunner
import Testing

/// Both ways a command step starts: posix_spawn as this user, and fork-then-become another user (what
/// Sluice does as root). Each must hand the step its pipes, folder and group.
@Suite struct SpawnPathTests {
    @Test(arguments: [false, true])
    func aCommandStepRunsEitherWay(_ asAnotherUser: Bool) async throws {
        let user = asAnotherUser ? StepUser.forThisProcess() : nil
        if asAnotherUser && user == nil { return }  // not root: no other user to become
        let pipeline = """
              echo:
                steps:
                  say: { command: [sh, -c, 'echo "$SLUICE_STEP in $(pwd)"; id -u >&2'] }
            """
        let harness = try RunnerHarness(files: ["sluice.yaml": RunnerHarness.yaml(pipeline: pipeline)])
        let run = try await harness.runner(executor: LocalStepExecutor(stepUser: user)).run(
            "echo", options: RunOptions(environment: "dev"))
        #expect(run.status == .succeeded)
        let logs = try await harness.workspace().attemptLogs(run: run.id, step: "say")
        #expect(logs.first?.stdout.hasPrefix("say in /") == true, "\(logs)")
        let uid = logs.first?.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
        // As root, each run's steps run as a user of that run alone (issue 21 item 4).
        #expect(uid == "\(user?.forRun(run.id).uid ?? getuid())", "the step ran as \(uid ?? "?")")
        if let user { #expect(user.forRun(run.id).uid >= 1 << 30 && user.forRun(run.id) != user.forRun("other")) }
    }
}
