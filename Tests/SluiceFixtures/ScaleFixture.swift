import Foundation
import SluiceCore
import SluiceStore
import SluiceTestSupport

/// A project and store at the scale the web UI must stay fast at: pipelines, runs, datasets (with versions
/// in dev and prod, gate results and quarantined batches) and audit events, written straight into the store
/// (deterministically, from a seed) rather than by running the engine thousands of times.
public struct ScaleFixture: Sendable {
    public var pipelines = 20
    public var stepsPerPipeline = 7
    public var rawDatasets = 60
    public var runs = 5_000
    public var auditEvents = 20_000
    public var commits = 300
    public var seed: UInt64 = 7
    /// The moment the history ends: this minute, so that "the last day" means the same to the fixture as to
    /// the pages (everything else comes from the seed).
    public var now = Timestamp(milliseconds: Timestamp.now().milliseconds / 60_000 * 60_000)

    public init() {}

    /// Tokens made for the principals, by name.
    public struct Made: Sendable {
        public var folder: URL
        public var tokens: [String: String]
        public var datasets: [String]
        public var runIDs: [String]
        public var quarantineIDs: [String]
        public var failedRunID: String
    }

    public var datasetCount: Int { rawDatasets + pipelines * stepsPerPipeline }

    /// Writes the project into `folder` (a git repository, committed) and fills its store.
    public func make(in folder: URL) async throws -> Made {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try ScaleFixtureProject(fixture: self).write(to: folder)
        try git(folder, ["init", "-q"])
        try git(folder, ["add", "-A"])
        try git(folder, ["-c", "user.name=fixture", "-c", "user.email=f@f", "commit", "-q", "-m", "project"])
        let store = try LocalStore(directory: folder.appendingPathComponent(".sluice"))
        var random = SplitMix(seed: seed)
        var writer = ScaleFixtureWriter(fixture: self, objects: store.objects, metadata: store.metadata)
        let tokens = try await writer.tokens()
        let datasets = try await writer.versionsAndCommits(&random)
        let (runIDs, failed) = try await writer.runRecords(&random)
        try await writer.checkRuns(&random)
        let quarantines = try await writer.quarantineBatches(&random)
        try await writer.auditTrail(&random)
        return Made(
            folder: folder, tokens: tokens, datasets: datasets, runIDs: runIDs, quarantineIDs: quarantines,
            failedRunID: failed)
    }

    private func git(_ folder: URL, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", folder.path] + arguments
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "git \(arguments) failed"])
        }
    }
}

extension SplitMix {
    /// A number in `0..<bound`.
    public mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
}
