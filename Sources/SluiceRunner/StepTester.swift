import Foundation
import SluiceCore

/// One step test's outcome.
public struct StepTestResult: Sendable, Codable {
    public var pipeline: String
    public var step: String
    public var test: String
    public var passed: Bool
    /// Why it failed: the step's failure, or where the output first differs from the expected file.
    public var message: String?
}

/// Runs step tests: each step on its fixture files, in a throwaway store (the runner's workspace should be
/// one, on in-memory stores), and compares every output with its expected file.
public struct StepTester: Sendable {
    public let runner: PipelineRunner

    public init(runner: PipelineRunner) {
        self.runner = runner
    }

    public func run(pipeline only: String? = nil, step onlyStep: String? = nil) async throws -> [StepTestResult] {
        let workspace = runner.workspace
        let project = workspace.project
        if let only, project.pipelines[only] == nil {
            throw UsageError.notFound(
                "no pipeline \(NameRules.quoted(only)) in the project",
                hint: "pipelines: \(project.pipelines.keys.sorted().joined(separator: ", "))")
        }
        let runID = "test-" + PipelineRunner.newRunID(now: workspace.now())
        let directory = runner.scratch.appendingPathComponent("sluice-\(runID)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var results: [StepTestResult] = []
        for pipeline in project.pipelines.values.sorted(by: { $0.name < $1.name })
        where only == nil || pipeline.name == only {
            for step in pipeline.steps where onlyStep == nil || step.name == onlyStep {
                for test in step.tests {
                    var result = StepTestResult(
                        pipeline: pipeline.name, step: step.name, test: test.name, passed: false, message: nil)
                    do {
                        result.message = try await run(
                            test, of: step, pipeline: pipeline, runID: runID,
                            directory: directory.appendingPathComponent(
                                "\(pipeline.name)-\(step.name)-\(results.count)"))
                    } catch let error as SluiceError {
                        result.message = "\(error)"
                    }
                    result.passed = result.message == nil
                    results.append(result)
                }
            }
        }
        return results
    }

    /// `nil` when the test passes, else why not.
    private func run(
        _ test: StepTest, of step: Step, pipeline: Pipeline, runID: String, directory: URL
    ) async throws
        -> String?
    {
        let workspace = runner.workspace
        let root = workspace.project.codeRoot
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let context = try await StepContext.detached(
            runner: runner, logger: runner.logger, runID: runID, pipeline: pipeline, environment: "test")
        var inputs: [DatasetName: ObjectID] = [:]
        for (dataset, file) in test.inputs {
            inputs[dataset] = try await context.session.storeFixture(dataset, file: root.appendingPathComponent(file))
        }
        var step = step
        if let engine = test.engine { step.sqlEngine = engine }  // the test pins the engine
        let stepRun = try await context.perform(step, produced: inputs, directory: directory)
        guard stepRun.status == .succeeded else {
            return "the step failed: \(stepRun.message ?? stepRun.status.rawValue)"
        }
        for (dataset, file) in test.expected.sorted(by: { $0.key.description < $1.key.description }) {
            guard let version = stepRun.outputs[dataset.description] else { return "the step made no \(dataset)" }
            let actualFile = directory.appendingPathComponent("actual-\(dataset).csv")
            _ = try await context.session.materialize(version, to: actualFile)
            let actual = Self.lines(try Data(contentsOf: actualFile))
            let expected = Self.lines(try Data(contentsOf: root.appendingPathComponent(file)))
            if let difference = Self.firstDifference(expected, actual) {
                return
                    "\(dataset) differs from \(file) at line \(difference.line): expected \(difference.expected), got \(difference.actual)"
            }
        }
        return nil
    }

    /// Lines without their line breaks (LF or CRLF); a missing final line break does not count.
    static func lines(_ data: Data) -> [String] {
        // Split the bytes: as a Swift string, CR LF is one character and would not split on LF.
        var lines = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).map { line in
            String(decoding: line.last == UInt8(ascii: "\r") ? line.dropLast() : line, as: UTF8.self)
        }
        if lines.last == "" { lines.removeLast() }
        return lines
    }

    static func firstDifference(
        _ expected: [String], _ actual: [String]
    ) -> (line: Int, expected: String, actual: String)? {
        for index in 0..<max(expected.count, actual.count) {
            let want = index < expected.count ? expected[index] : nil
            let got = index < actual.count ? actual[index] : nil
            if want != got {
                return (
                    index + 1, want.map { NameRules.quoted($0) } ?? "the end",
                    got.map { NameRules.quoted($0) } ?? "the end"
                )
            }
        }
        return nil
    }
}
