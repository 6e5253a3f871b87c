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
