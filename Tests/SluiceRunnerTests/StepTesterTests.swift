import Foundation
import SluiceCore
import SluiceQuality
import SluiceRunner
import SluiceStore
import Testing

/// Step tests run a step on fixture files in a throwaway store and compare its output line by line;
/// validation asks for tests, and insists when the project sets `require_tests: true`.
@Suite struct StepTesterTests {
    static func files(expected: String, requireTests: Bool = false, withTests: Bool = true) -> [String: String] {
        var files = PipelineRunnerTests.twoStepFiles()
        var yaml = files["sluice.yaml"]!
        if withTests {
            yaml = yaml.replacingOccurrences(
                of: "      clean: { sql: models/clean.sql, inputs: [raw.orders], output: staged.orders }",
                with: """
                          clean:
                            sql: models/clean.sql
                            inputs: [raw.orders]
                            output: staged.orders
                            tests:
                              - name: doubles
                                inputs: { raw.orders: tests/orders.csv }
                                expect: { staged.orders: tests/expected.csv }
                    """)
        }
        if requireTests { yaml = "require_tests: true\n" + yaml }
        files["sluice.yaml"] = yaml
        files["tests/orders.csv"] = "id,amount\n2,1.5\n1,3\n3,\n"
        files["tests/expected.csv"] = expected
        return files
    }

    func results(_ files: [String: String]) async throws -> [StepTestResult] {
        let harness = try RunnerHarness(files: files)
        let project = try ProjectLoader(files: LocalFileSource()).loadValidated(root: harness.root).project
        let workspace = Workspace(
            project: project, objects: InMemoryObjectStore(), metadata: InMemoryMetadataStore(),
            identity: Identity(principal: "t", role: nil, authentication: .token, tokenID: nil), gate: ContractGate(),
            git: CleanGit(), files: LocalFileSource())
        return try await StepTester(runner: PipelineRunner(workspace: workspace)).run()
    }

    @Test func aMatchingOutputPasses() async throws {
        let results = try await results(Self.files(expected: "id,amount\r\n1,6.0\r\n2,3.0"))
        #expect(results.map(\.test) == ["doubles"])
        #expect(results.first?.passed == true, "\(results.first?.message ?? "")")
    }

    @Test func aDifferentOutputFailsNamingTheLine() async throws {
        let results = try await results(Self.files(expected: "id,amount\n1,6.0\n2,4.0\n"))
        let result = try #require(results.first)
        #expect(!result.passed)
        #expect(
            result.message == #"staged.orders differs from tests/expected.csv at line 3: expected "2,4.0", got "2,3.0""#
        )
    }

    @Test func validationWarnsAboutUntestedStepsAndCanRequireTests() throws {
        let relaxed = try RunnerHarness(files: Self.files(expected: "", withTests: false))
        let (_, warnings) = try ProjectLoader(files: LocalFileSource()).load(root: relaxed.root)
        #expect(warnings.contains { $0.severity == .warning && $0.message.contains("step two.clean has no tests") })

        let strict = try RunnerHarness(files: Self.files(expected: "", requireTests: true))
        let (project, diagnostics) = try ProjectLoader(files: LocalFileSource()).load(root: strict.root)
        #expect(project == nil || diagnostics.contains { $0.severity == .error })
        #expect(diagnostics.contains { $0.severity == .error && $0.message.contains("step two.check has no tests") })
        #expect(!diagnostics.contains { $0.message.contains("two.clean has no tests") })
    }
}
