import Foundation
import SluiceTestSupport
import Testing

/// Issue 15 item 3 (CI and container): `sluice export ci` writes GitHub Actions and GitLab CI pipelines that
/// check-jsonschema accepts with its built-in vendor schemas, and `sluice export container` a Dockerfile that
/// hadolint finds clean; each validator is shown to refuse a broken file too.
@Suite struct CIAndContainerExportTests {
    static func tool(_ name: String) throws -> ExternalTool {
        try #require(ExternalTool.venv(name), "the test command installs \(name) in .build/test-venv")
    }

    @Test(arguments: [
        ("--github", ".github/workflows/sluice.yml", "vendor.github-workflows"),
        ("--gitlab", ".gitlab-ci.yml", "vendor.gitlab-ci"),
    ])
    func ciPipelinesPassTheirSchemas(_ system: String, _ path: String, _ schema: String) throws {
        let project = try CLIProject()
        // daily declares prod; a second pipeline declares nothing, so runs into the default environment.
        try project.edit("sluice.yaml") {
            $0.replacingOccurrences(of: "  daily:\n", with: "  daily:\n    environment: prod\n")
                + "  tidy:\n    steps:\n      noop: { command: [\"true\"] }\n"
        }
        let out = project.folder.appendingPathComponent("repo")
        let exported = try project.sluice.run(
            ["export", "ci", system, "--out", out.path, "--image", "registry.example.com/sluice:1.0"])
        #expect(exported.status == 0, "\(exported.stderr)")
        let file = out.appendingPathComponent(path)
        let text = try String(contentsOf: file, encoding: .utf8)
        for expected in [
            "sluice validate", "sluice test", "sluice plan --against", "sluice run daily --env prod",
            "sluice run tidy --env dev", "SLUICE_CI_TOKEN", "SLUICE_SERVER", "run-prod:", "run-dev:",
        ] {
            #expect(text.contains(expected), "\(path) lacks \(expected)")
        }
        #expect(!text.contains("sluice run tidy --env prod") && !text.contains("sluice run daily --env dev"))
        // Runs happen on main only; the checks on every change.
        let mainOnly =
            system == "--github" ? "github.ref == 'refs/heads/main'" : "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH"
        #expect(text.components(separatedBy: mainOnly).count - 1 == (system == "--github" ? 2 : 3), "\(text)")
        let checker = try Self.tool("check-jsonschema")
        let (status, output) = try checker.run(["--builtin-schema", schema, file.path])
        #expect(status == 0, "\(output)")
        // The checker refuses a file that breaks the schema.
        let broken = out.appendingPathComponent("broken.yml")
        try Data(text.replacingOccurrences(of: system == "--github" ? "runs-on:" : "stage:", with: "run-on:").utf8)
            .write(to: broken)
        #expect(try checker.run(["--builtin-schema", schema, broken.path]).status != 0)
    }

    @Test func theDockerfileIsCleanUnderHadolint() throws {
        let project = try CLIProject()
        let out = project.folder.appendingPathComponent("image")
        let exported = try project.sluice.run(["export", "container", "--out", out.path])
        #expect(exported.status == 0, "\(exported.stderr)")
        let dockerfile = out.appendingPathComponent("Dockerfile")
        let text = try String(contentsOf: dockerfile, encoding: .utf8)
        for expected in [
            "AS build", "scripts/build-release.sh", "FROM debian:bookworm-slim", "USER 10001:10001", "HEALTHCHECK",
            "/healthz", #"ENTRYPOINT ["tini", "--", "sluice"]"#,
        ] {
            #expect(text.contains(expected), "the Dockerfile lacks \(expected)")
        }
        let hadolint = try Self.tool("hadolint")
        let (status, output) = try hadolint.run([dockerfile.path])
        #expect(status == 0, "\(output)")
        let broken = out.appendingPathComponent("Broken.Dockerfile")
        try Data("FROM debian:latest\nRUN cd /tmp && apt-get install curl\n".utf8).write(to: broken)
        #expect(try hadolint.run([broken.path]).status != 0, "hadolint refuses what it should")
    }
}
