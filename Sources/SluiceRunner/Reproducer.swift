import Foundation
import Logging
import SluiceCore

/// Re-derives a dataset version from its recorded lineage: every step run upstream of it, in order, on
/// the recorded input versions, with no cache and nothing landed in any environment. Byte-identical
/// outputs have identical version ids, so comparing ids compares bytes.
public struct Reproducer: Sendable {
    public let runner: PipelineRunner

    public init(runner: PipelineRunner) {
        self.runner = runner
    }

    public func reproduce(_ reference: String, in environment: String?) async throws -> ReproduceResult {
        let workspace = runner.workspace
        let root = try await workspace.lineage(reference, in: environment, directions: .upstream)
        guard root.made != nil else {
            throw UsageError(
                "\(root.dataset)@\(root.version.short) was not made by a step (\(root.origin ?? "no recorded origin")); there is nothing to re-derive",
                hint: "reproduce works on outputs of pipeline steps; ingested data is kept as it arrived")
        }
        // Step runs in dependency order (inputs first), each once.
        var order: [LineageRecord] = []
        var seen = Set<String>()
        func visit(_ node: LineageNode) {
            node.upstream.forEach(visit)
            guard let made = node.made, seen.insert("\(made.runID)/\(made.step)/\(made.dataset)").inserted else {
                return
            }
            order.append(made)
        }
        visit(root)
        let runID = "reproduce-" + PipelineRunner.newRunID(now: workspace.now())
        let directory = runner.scratch.appendingPathComponent("sluice-\(runID)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        var log = runner.logger
        log[metadataKey: "run.id"] = "\(runID)"
        log[metadataKey: "event.dataset"] = "sluice.reproduce"
        var derived: [ObjectID: ObjectID] = [:]  // recorded version → reproduced version
        var results: [ReproducedStep] = []
        var done = Set<String>()
        for record in order where done.insert("\(record.runID)/\(record.step)").inserted {
            guard let pipeline = workspace.project.pipelines[record.pipeline],
                let step = pipeline.steps.first(where: { $0.name == record.step })
            else {
                throw FailureError(
                    "step \(record.pipeline).\(record.step), which made \(record.dataset)@\(record.version.short), is no longer in the project; check out git \(record.gitCommit ?? "(unrecorded)") to reproduce it"
                )
            }
            var inputs: [DatasetName: ObjectID] = [:]
            for (name, version) in record.inputs {
                guard let dataset = DatasetName(name) else { continue }
                inputs[dataset] = derived[version] ?? version
            }
            let key = try CacheKey.compute(
                step: step, root: workspace.project.codeRoot, inputs: inputs, files: workspace.files)
            if key != record.cacheKey && inputs.allSatisfy({ record.inputs[$0.key.description] == $0.value }) {
                throw FailureError(
                    "step \(record.pipeline).\(record.step) or a file it names changed since \(record.dataset)@\(record.version.short) was made (git \(record.gitCommit ?? "unrecorded"), engine \(record.engineVersion)); check out that commit to reproduce it"
                )
            }
            let context = try await StepContext.detached(
                runner: runner, logger: log, runID: runID, pipeline: pipeline, environment: "reproduce",
                readsFrom: environment ?? workspace.project.defaultEnvironment)
            let stepRun = try await context.perform(step, produced: inputs, directory: directory)
            // The records of every output this step run made: compare each.
            let recordedOutputs = try await recordedOutputs(of: record)
            var differs = false
            for (dataset, recorded) in recordedOutputs.sorted(by: { $0.key < $1.key }) {
                let reproduced = stepRun.outputs[dataset]
                if let reproduced { derived[recorded] = reproduced }
                let matches = reproduced == recorded
                differs = differs || !matches
                results.append(
                    ReproducedStep(
                        pipeline: record.pipeline, step: record.step, dataset: dataset, recorded: recorded,
                        reproduced: reproduced, matches: matches,
                        message: stepRun.status == .failed ? stepRun.message : nil))
            }
            if differs {
                return ReproduceResult(
                    dataset: root.dataset.description, version: root.version, matches: false, steps: results,
                    firstDifference: "\(record.pipeline).\(record.step)")
            }
        }
        return ReproduceResult(
            dataset: root.dataset.description, version: root.version, matches: true, steps: results,
            firstDifference: nil)
    }

    /// Every output version the step run made, from its run record (or just the one lineage names).
    private func recordedOutputs(of record: LineageRecord) async throws -> [String: ObjectID] {
        if let outputs = try await runner.workspace.recordedOutputs(run: record.runID, step: record.step),
            !outputs.isEmpty
        {
            return outputs
        }
        return [record.dataset.description: record.version]
    }
}
