import Foundation

/// What the runner needs from the workspace: read versions into files, check and stage step outputs,
/// and land a whole run in one commit. Access is checked by the caller (`requireRun`).
/// What a pipeline run needs of the store: staging environments, inputs materialized, outputs staged and landed.
struct RunStagingService: UseCase {
    let context: EngineContext

    /// Refuses a run that the acting principal may not do: it writes every output's zone in `environment`.
    func requireRun(_ pipeline: Pipeline, environment: String) async throws {
        try await authorize(
            pipeline.steps.flatMap { step in
                step.outputs.map { Permission.environment(.write, environment, zone: $0.zone) }
                    + step.inputs.map { Permission.environment(.read, environment, zone: $0.zone) }
            }, action: "run", target: "\(environment):\(pipeline.name)")
    }

    /// Write-audit-publish into a protected environment, first half: creates `staging/RUN_ID` at the
    /// target's head for the run to write. Only a principal who may promote into the target may do this;
    /// the staging environment then belongs to the run, whatever grants the principal holds on `staging/*`.
    func beginStaging(for target: String, runID: String, pipeline: Pipeline) async throws -> String {
        let name = try validEnvironmentName(Project.stagingPrefix + runID)
        return try await audited("run.stage", target: name, details: ["for": target, "pipeline": pipeline.name]) {
            try await authorize(
                [.environment(.promote, target)]
                    + pipeline.steps.flatMap { $0.inputs.map { .environment(.read, target, zone: $0.zone) } })
            let base = try await environmentRecord(target)
            let record = EnvironmentRecord(
                name: name, head: base.head, createdAt: now(), createdBy: identity.name, base: target, ttl: nil)
            try await metadata.createEnvironment(record, audit: inlineAudit(ref: name, head: base.head))
            return (name, ["head": base.head?.hex ?? "empty"])
        }
    }

    /// Write-audit-publish, last step: once published, the staging environment has done its job and goes
    /// (only if nothing else used or moved it meanwhile).
    func endStaging(_ name: String) async throws {
        guard name.hasPrefix(Project.stagingPrefix), let record = try await metadata.environment(name) else { return }
        if try await metadata.deleteEnvironment(record) {
            try await self.record("run.unstage", target: name, outcome: .succeeded, details: [:])
        }
    }

    /// The environment's record (a declared environment that holds nothing yet counts as empty) and head.
    func environmentHead(_ name: String) async throws -> (record: EnvironmentRecord, head: Commit?) {
        let record = try await environmentRecord(try validEnvironmentName(name))
        return (record, try await headCommit(of: record))
    }

    /// Hands a version's data to `sink` as one file's bytes: CSV files after the first lose their header line.
    /// (The runner writes it where its step reads it.)
    func materialize(_ id: ObjectID, into sink: (Data) throws -> Void) async throws -> DatasetVersion {
        guard let version = try await metadata.version(id) else {
            throw InternalError("version \(id.short) is missing from the store; run sluice verify")
        }
        try await VersionReader(objects: objects).stream(version) { try sink(Data($0)) }
        return version
    }

    /// Checks a step's output file against its dataset's contract and stores it as a version (not yet in
    /// any environment). Throws `GateFailed` when an error-severity check fails; the result is kept either way.
    /// `references` checks whose target is in `deferring` (what the same run writes) are left to
    /// `checkLanding`, which judges them against the versions landing together.
    func stageOutput(
        _ name: DatasetName, file: URL, environment: String, head: Commit?, origin: String,
        deferring: Set<DatasetName> = []
    ) async throws -> (version: DatasetVersion, report: ValidationReport) {
        guard let declared = project.datasets[name] else {
            throw InternalError("step output \(name) is not a declared dataset")
        }
        var dataset = declared
        dataset.checks.removeAll { check in
            guard case .references(_, let target, _) = check.kind else { return false }
            return deferring.contains(target)
        }
        // Staged first and checked there: a process the step left behind cannot change what lands.
        let snapshot = try await Snapshotter(objects: objects, files: context.files).stage(
            [.init(url: file, name: "\(name).csv")], format: .csv, delimiter: UInt8(ascii: ","))
        var report = ValidationReport(
            dataset: name.description, files: ["\(name).csv"], rows: 0, validRows: 0, invalidRows: 0,
            batchProblems: [], checks: [], checkedAt: now())
        do {
            if !dataset.columns.isEmpty || !dataset.checks.isEmpty {
                guard let gate else {
                    throw InternalError("\(name) declares a contract but this engine has no quality gate configured")
                }
                let references = try await GateService(context: context).referenceValues(
                    for: dataset, head: head, gate: gate)
                let files = try await GateService(context: context).gateFiles(snapshot)
                report = try await Blocking.run {
                    try gate.validate(
                        dataset: dataset, format: .csv, delimiter: UInt8(ascii: ","), files: files,
                        references: references, now: now(), rows: .none, onHeader: { _, _ in }, onRow: { _ in })
                }
            }
        } catch {
            await objects.discard(snapshot.staged)
            throw error
        }
        let failure =
            !report.batchProblems.isEmpty
            ? report.batchProblems.joined(separator: "; ")
            : report.invalidRows > 0 ? "\(report.invalidRows) rows failed error checks" : nil
        if let failure {
            // Nothing is stored for a refused output; the gate result is kept.
            await objects.discard(snapshot.staged)
            try await saveCheckRun(
                CheckRun(
                    id: UUID().uuidString.lowercased(), dataset: name, environment: environment, version: nil,
                    quarantine: nil, origin: origin, passed: false, report: report, at: now(),
                    contractDigest: declared.contractDigest, gitCommit: await recordedGitCommit()))
            throw GateFailed(report: report, reason: failure, quarantineID: nil)
        }
        let version = try await storeVersion(name, snapshot: snapshot)
        try await saveCheckRun(
            CheckRun(
                id: UUID().uuidString.lowercased(), dataset: name, environment: environment, version: version.id,
                quarantine: nil, origin: origin, passed: true, report: report, at: now(),
                contractDigest: declared.contractDigest, gitCommit: await recordedGitCommit()))
        return (version, report)
    }

    /// Stores a file as a version of `dataset` without checking it and without any environment: step
    /// test fixtures, in a throwaway store.
    func storeFixture(_ dataset: DatasetName, file: URL) async throws -> ObjectID {
        try await storeVersion(dataset, file: file).id
    }

    /// Copies a CSV file into the store as a version of `dataset`: objects durable first, then the
    /// manifest, then the metadata that names them.
    private func storeVersion(_ dataset: DatasetName, file: URL) async throws -> DatasetVersion {
        let snapshot = try await Snapshotter(objects: objects, files: context.files).stage(
            [.init(url: file, name: "\(dataset).csv")], format: .csv, delimiter: UInt8(ascii: ","))
        return try await storeVersion(dataset, snapshot: snapshot)
    }

    /// Publishes a staged CSV snapshot as a version of `dataset`.
    private func storeVersion(_ dataset: DatasetName, snapshot: Snapshotter.Result) async throws -> DatasetVersion {
        let manifest = VersionManifest(dataset: dataset, format: .csv, files: snapshot.files, schema: snapshot.schema)
        let version = try DatasetVersion(manifest: manifest, createdAt: now(), createdBy: identity.name)
        try await objects.publish(snapshot.staged)
        let manifestID = try await objects.put(try CanonicalJSON.encode(manifest))
        guard manifestID == version.id else {
            throw InternalError("the stored manifest hashed to \(manifestID.short), not \(version.id.short)")
        }
        try await metadata.saveVersion(version)
        return version
    }

    /// Lands every output of a run in one commit on top of `base`, moving the environment by
    /// compare-and-swap: if it moved since the run started, `ConflictError` (exit 4) and nothing changes.
    func landRun(
        _ outputs: [DatasetName: ObjectID], environment record: EnvironmentRecord, base: Commit?, run: RunRecord
    ) async throws -> Commit {
        try await audited("run", target: "\(record.name):\(run.pipeline)", details: ["run": run.id]) {
            var datasets = base?.content.datasets ?? [:]
            for (name, version) in outputs { datasets[name.description] = version }
            let commit = try Commit(
                CommitContent(
                    parents: base.map { [$0.id] } ?? [], datasets: datasets, actor: identity.name,
                    message: "run \(run.pipeline) (\(run.id))", gitCommit: run.gitCommit, runID: run.id,
                    createdAt: now()))
            try await metadata.saveCommit(commit)
            await checkpoint("run.land")
            try await moveEnvironment(
                record, to: commit.id, reason: "run \(run.pipeline) \(run.id)", gitCommit: run.gitCommit,
                details: ["commit": commit.id.hex, "outputs": "\(outputs.count)"])
            return (commit, ["commit": commit.id.hex, "outputs": "\(outputs.count)"])
        }
    }

}
