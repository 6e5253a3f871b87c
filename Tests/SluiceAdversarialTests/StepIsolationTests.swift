import Foundation
import SluiceTestSupport
import Testing

/// Issue 10 item 2: a pipeline step must find nothing that lets it act as the caller or reach the store:
/// not the caller's token (environment, /proc, memory), not the store's path or files.
@Suite struct StepIsolationTests {
    static let probe = """
        #!/bin/sh
        echo "== env"; env
        echo "== parent environ"; tr '\\0' '\\n' < /proc/$PPID/environ
        echo "== parent maps"; head -c 200 /proc/$PPID/maps
        echo "== parent cwd"; ls -a /proc/$PPID/cwd/
        echo "== store"; ls -a "$(dirname "$0")/../.sluice/"
        echo "== metadata"; head -c 200 "$(dirname "$0")/../.sluice/metadata.sqlite" | tr -dc 'a-zA-Z '
        echo "== end"
        exit 0

        """

    @Test func aStepCannotReadTheCallersTokenOrTheStore() throws {
        let project = try CLIProject()
        try project.write("scripts/probe.sh", Self.probe)
        try project.write("pipelines/probe.yaml", "probe:\n  steps:\n    look: { command: [sh, scripts/probe.sh] }\n")
        try project.commit("probe")
        try project.makeTokens()
        let secret = try #require(project.tokens["ci"])
        let run = try project.run(as: "ci", ["run", "probe", "--env", "dev", "--json"])
        #expect(run.status == 0, "\(run.stderr)")
        let runID = try #require(
            (try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])?["id"] as? String)
        let seen = try project.run(as: "alice", ["logs", runID, "look"]).stdout
        #expect(seen.contains("== end"), "the probe ran to its end: \(seen)")
        #expect(!seen.contains(secret), "the step found the caller's token")
        #expect(!seen.contains("SLUICE_TOKEN"), "the step saw SLUICE_TOKEN")
        #expect(!seen.contains("SLUICE_PROJECT"), "the step was told where the project is")
        #expect(!seen.contains("sluice.yaml"), "the step listed the engine's working directory (the project)")
        #expect(!section("parent maps", of: seen).contains("/"), "the step read the engine's memory map")
        if geteuid() == 0 {
            // Run as root, Sluice runs steps as an unprivileged user that cannot open the store.
            #expect(!section("store", of: seen).contains("metadata.sqlite"), "the step listed the store")
            #expect(!section("metadata", of: seen).contains("SQLite"), "the step read the metadata database")
        }
    }

    private func section(_ name: String, of text: String) -> String {
        guard let start = text.range(of: "== \(name)\n") else { return "" }
        let rest = text[start.upperBound...]
        return String(rest[..<(rest.range(of: "\n== ")?.lowerBound ?? rest.endIndex)])
    }
}

/// Issue 21 item 4: a run's folder is its own. Run as root, each run's command steps run as a user of that run
/// alone, its folder is mode 0700 and theirs, and it is gone when the run ends: a step of another run (another
/// principal's, reading the same dataset masked or not at all) cannot read its inputs, even knowing their path.
@Suite struct RunFolderTests {
    @Test func aStepCannotReadAnotherRunsInputs() async throws {
        try #require(geteuid() == 0, "runs as another user only when Sluice runs as root")
        let project = try CLIProject()
        let drop = project.folder.appendingPathComponent("drop")
        try FileManager.default.createDirectory(at: drop, withIntermediateDirectories: true)
        chmod(drop.path, 0o777)
        let path = drop.appendingPathComponent("path").path
        let stolen = drop.appendingPathComponent("stolen").path
        let go = drop.appendingPathComponent("go").path
        try project.write(
            "pipelines/two.yaml",
            """
            holder:
              steps:
                hold: { command: [sh, -c, 'echo "$SLUICE_INPUT_RAW_CUSTOMERS" > "$1"; for i in $(seq 6000); do [ -e "$2" ] && break; sleep 0.1; done', sh, "\(path)", "\(go)"], inputs: [raw.customers] }
            thief:
              steps:
                steal: { command: [sh, -c, 'cat "$(cat "$1")" > "$2" 2>&1; ls -la "$(dirname "$(cat "$1")")" >> "$2" 2>&1; true', sh, "\(path)", "\(stolen)"] }

            """)
        try project.commit("two runs")
        try project.makeTokens()
        try project.ingestCustomers()
        let holder = BackgroundRun(
            project.sluice, ["run", "holder", "--env", "dev"], environment: ["SLUICE_TOKEN": project.tokens["ci"]!])
        for _ in 0..<100 where (try? String(contentsOfFile: path, encoding: .utf8))?.isEmpty ?? true {
            try await Task.sleep(for: .milliseconds(100))
        }
        let inputPath = try #require(try? String(contentsOfFile: path, encoding: .utf8)).trimmingCharacters(
            in: .whitespacesAndNewlines)
        #expect(!inputPath.isEmpty)
        let folder = URL(fileURLWithPath: inputPath).deletingLastPathComponent().deletingLastPathComponent().path
        let mode = (try FileManager.default.attributesOfItem(atPath: folder)[.posixPermissions] as? Int) ?? 0
        #expect(mode & 0o077 == 0, "the run's folder \(folder) is open to others: \(String(mode, radix: 8))")
        let thief = try project.run(as: "ci", ["run", "thief", "--env", "dev"])
        #expect(thief.status == 0, "\(thief.stderr)")
        let taken = (try? String(contentsOfFile: stolen, encoding: .utf8)) ?? ""
        #expect(!taken.contains("@example.com"), "another run read the inputs: \(taken)")
        #expect(taken.contains("Permission denied"), "\(taken)")
        _ = FileManager.default.createFile(atPath: go, contents: Data())
        #expect(await holder.status() == 0)
        #expect(!FileManager.default.fileExists(atPath: folder), "the run's folder outlived the run")
    }
}

/// A command of the built binary run on a thread of its own (never on the threads async tests share), whose
/// exit status is awaited later.
final class BackgroundRun: @unchecked Sendable {
    private let done = DispatchGroup()
    private var exit: Int32 = -1

    init(_ sluice: SluiceBinary, _ arguments: [String], environment: [String: String]) {
        done.enter()
        DispatchQueue.global().async {
            self.exit = (try? sluice.run(arguments, environment: environment).status) ?? -1
            self.done.leave()
        }
    }

    func status() async -> Int32 {
        await withCheckedContinuation { continuation in
            done.notify(queue: .global()) { continuation.resume(returning: self.exit) }
        }
    }
}

/// Issue 22 item 11: a command step runs as the step user, so its program is looked up as that user, and the
/// project's files it names are copied into its own folder: a project only root can read still runs, and a
/// program only root can reach fails saying where it is, as whom, and the two ways out.
@Suite struct StepProgramTests {
    static func project() throws -> CLIProject {
        let project = try CLIProject()
        try project.makeTokens()
        try project.write("scripts/hello.sh", "#!/bin/sh\ncat \"$1\" > \"$SLUICE_OUTPUT_STAGED_HELLO\"\n")
        chmod(project.folder.appendingPathComponent("scripts/hello.sh").path, 0o700)
        try project.write("scripts/data.txt", "greeting\nhello\n")
        try project.edit("sluice.yaml") {
            $0.replacingOccurrences(
                of: "  staged.orders:\n",
                with: "  staged.hello: { owner: t@example.com, classification: internal }\n  staged.orders:\n")
                    + """
                      tools:
                        steps:
                          hello: { command: [scripts/hello.sh, scripts/data.txt], output: staged.hello }
                      private:
                        steps:
                          tool: { command: [sluice-private-tool] }

                    """
        }
        try project.commit("tools")
        return project
    }

    @Test func aProjectOnlyRootReadsStillRunsItsScripts() throws {
        try #require(geteuid() == 0, "runs as another user only when Sluice runs as root")
        let project = try Self.project()
        chmod(project.folder.path, 0o700)
        let run = try project.run(as: "ci", ["run", "tools", "--env", "dev"])
        #expect(run.status == 0, "\(run.stderr)")
        let landed = try project.run(as: "ci", ["cat", "staged.hello"])
        // The script (unreadable to the step user where it lies) ran and read its data file: both were copied.
        #expect(
            landed.stdout.hasPrefix("greeting\n") && landed.stdout.split(separator: "\n").count == 2, "\(landed.stdout)"
        )
    }

    @Test func aProgramOnlyRootReachesFailsSayingSo() throws {
        try #require(geteuid() == 0, "runs as another user only when Sluice runs as root")
        let project = try Self.project()
        let home = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-home-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: home) }
        chmod(home.path, 0o700)
        let tool = home.appendingPathComponent("sluice-private-tool")
        try Data("#!/bin/sh\necho ran\n".utf8).write(to: tool)
        chmod(tool.path, 0o755)
        let run = try project.run(
            as: "ci", ["run", "private", "--env", "dev"], environment: ["PATH": "\(home.path):/usr/bin:/bin"])
        #expect(run.status == 1, "\(run.stdout)")
        #expect(
            run.stderr.contains("may not run \(tool.path)") && run.stderr.contains("SLUICE_STEP_USER")
                && run.stderr.contains("system-wide"),
            "\(run.stderr)")
    }
}
