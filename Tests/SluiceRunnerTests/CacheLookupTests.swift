import Foundation
import SluiceCore
import SluiceQuality
import SluiceRunner
import SluiceStore
import SluiceStoreTesting
import Testing

/// Issue 25 item 5: a run finds what it may reuse by an indexed lookup per step (`cachedStep`), never by reading
/// every earlier run record of its pipeline; the cache still reuses across runs, and a reused output stays
/// readable by the steps after it.
@Suite struct CacheLookupTests {
    @Test func aRunStartReadsNoEarlierRunRecords() async throws {
        let harness = try RunnerHarness(files: PipelineRunnerTests.twoStepFiles())
        try harness.write("flags/ok", "")
        try await harness.ingest("id,amount\n1,2\n2,3\n")
        let project = try ProjectLoader(files: LocalFileSource()).loadValidated(root: harness.root).project
        let recording = RecordingMetadataStore(harness.metadata)
        let role = project.principals["ci"].flatMap { project.roles[$0.role] }
        let workspace = Workspace(
            project: project, objects: harness.objects, metadata: recording,
            identity: Identity(principal: "ci", role: role, authentication: .token, tokenID: "test"),
            gate: ContractGate(), git: CleanGit(), files: LocalFileSource())
        let runner = PipelineRunner(workspace: workspace, scratch: harness.root.appendingPathComponent(".scratch"))
        let first = try await runner.run("two", options: RunOptions(environment: "dev"))
        let second = try await runner.run("two", options: RunOptions(environment: "dev"))
        #expect(first.steps.allSatisfy { $0.status == .succeeded }, "\(first.steps)")
        #expect(
            second.steps.allSatisfy { $0.status == .cached }, "both steps reused, the second reading the first's output"
        )
        #expect(second.steps.allSatisfy { $0.reusedFrom == first.id })
        let called = await recording.called
        #expect(called.contains("RunStore.cachedStep(pipeline:step:cacheKey:)"))
        #expect(!called.contains("RunStore.runs(pipeline:)"), "a run start decoded the pipeline's whole history")
    }
}
