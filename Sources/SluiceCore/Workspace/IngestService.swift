import Foundation

/// What an ingest did.
public struct IngestResult: Sendable, Codable, Hashable {
    public var source: String
    public var dataset: DatasetName
    public var environment: String
    public var version: ObjectID
    public var commit: ObjectID
    /// Files and rows this ingest landed (for an `append` source, the new delivery's).
    public var files: Int
    public var rows: Int64
    public var bytes: Int64
    /// Rows of the dataset's version after it, the earlier deliveries included.
    public var datasetRows: Int64 = 0
    /// `true` when the data was identical to the current version, so nothing changed.
    public var unchanged: Bool
    /// What the quality gate found.
    public var report: ValidationReport
    /// The quarantine batch holding the rows that did not land, if any.
    public var quarantined: String?
    /// The gate result kept for this batch.
    public var checkRun: String? = nil
    /// Datasets in the environment whose `references` to this one no longer hold (a promotion refuses them).
    public var warnings: [String] = []
}

/// Ingestion: a source's files, snapshotted and checked by the quality gate, committed to an environment.
public struct IngestService: UseCase {
    public let context: EngineContext

    public init(context: EngineContext) { self.context = context }

    /// Snapshots a source's files into its first-zone dataset as a new version and commits it to
    /// `environment` by compare-and-swap. Objects are durable before any metadata names them, and the
    /// environment moves last, so a killed ingest leaves nothing half-visible.
    public func ingest(source name: String, environment: String?, files: [URL] = []) async throws -> IngestResult {
        let (source, environment) = try target(source: name, environment: environment)
        let dataset = source.into
        return try await audited("ingest", target: "\(environment):\(dataset)", details: ["source": name]) {
            try await permit(source, into: environment)
            let result = try await ingestUnchecked(source, environment: environment, files: files)
            let details = [
                "version": result.version.hex, "commit": result.commit.hex, "rows": "\(result.rows)",
                "bytes": "\(result.bytes)", "check_run": result.checkRun ?? "", "passed": "true",
            ]
            return (result, details)
        }
    }

    /// Decides whether the caller may ingest source `name` into `environment` without reading anything, so
    /// that the service can refuse an upload from its headers, before a byte of its body is kept. A refusal
    /// is audited as the ingest's own would be, and thrown.
    public func authorize(source name: String, environment: String?) async throws {
        let (source, environment) = try target(source: name, environment: environment)
        try await permit(
            source, into: environment, action: "ingest", target: "\(environment):\(source.into)",
            details: ["source": name])
    }

    private func target(source name: String, environment: String?) throws -> (Source, String) {
        guard let source = project.sources[name] else {
            throw UsageError.notFound(
                "no source \(NameRules.quoted(name)) in the project",
                hint: "sources: \(project.sources.keys.sorted().joined(separator: ", "))")
        }
        return (source, try validEnvironmentName(environment ?? project.defaultEnvironment))
    }

    private func permit(
        _ source: Source, into environment: String, action: String? = nil, target: String? = nil,
        details: [String: String] = [:]
    ) async throws {
        var needed: [Permission] = [.environment(.write, environment, zone: source.into.zone)]
        if policy.isProtected(environment) {
            needed.append(
                .refused(
                    "\(environment) is protected; no command writes it directly",
                    remedy:
                        "ingest into a working environment (e.g. \(project.defaultEnvironment)) and move it with sluice promote"
                ))
        }
        try await authorize(needed, action: action, target: target, details: details)
    }

    private func ingestUnchecked(_ source: Source, environment: String, files: [URL]) async throws -> IngestResult {
        let record = try await environmentRecord(environment)
        // Asked once: the gate result and the commit record the same state of the work tree.
        let git = await recordedGitCommit()
        let inputs = try snapshotInputs(source, files: files)
        let parent = try await headCommit(of: record)
        // The landing files are read once, into private staged objects; the gate checks those bytes, so what
        // lands is exactly what was checked, whatever happens to the landing files meanwhile. Nothing is
        // visible before the gate passes: a refused batch goes to quarantine, never to the environment.
        var staged = try await Snapshotter(objects: objects, files: context.files).stage(
            inputs, format: source.format, delimiter: source.delimiter)
        // An append source's versions name each delivery they hold (the ledger); a snapshot source's are its data.
        if source.mode == .append {
            for index in staged.files.indices {
                staged.files[index].delivered = DeliveryLedger.digest(staged.files[index])
            }
        }
        await checkpoint("ingest.snapshotted")
        // An append source adds what is new to the version there; a snapshot source replaces it.
        let previous = try await previousVersion(of: source, in: parent)
        if source.mode == .append {
            // A file the gate refused in any environment is refused in all (a sandbox made from dev does not
            // try dev's refused delivery again); it lands once delivered anew (changed, or under a new name).
            let ledger = DeliveryLedger(
                previous: previous,
                refused: try await metadata.quarantines().filter {
                    $0.kind == .rejected && $0.dataset == source.into
                })
            let (fresh, unused) = ledger.fresh(staged)
            await objects.discard(unused)
            staged = fresh
            guard !staged.files.isEmpty else {
                return try nothingNew(source, environment: environment, previous: previous, parent: parent)
            }
        }
        let verdict: GateVerdict
        do {
            verdict = try await GateService(context: context).gateIncoming(
                source, snapshot: staged, environment: environment, head: parent, schema: previous?.manifest.schema)
        } catch let error as GateFailed {
            throw error
        } catch {
            await objects.discard(staged.staged)
            throw error
        }
        var snapshot: Snapshotter.Result
        if let filtered = verdict.filtered {
            // Pieces without an invalid record are reused; the rest of the first snapshot goes.
            snapshot = filtered
            let reused = Set(filtered.staged)
            await objects.discard(staged.staged.filter { !reused.contains($0) })
        } else {
            snapshot = staged
        }
        for index in snapshot.files.indices { snapshot.files[index].delivered = staged.files[index].delivered }
        if source.format == .csv {
            // One table: every file in the dataset's (or else the first file's) column order (the gate read
            // each by its own header).
            snapshot = try await ColumnAligner(objects: objects).align(
                snapshot, delimiter: source.delimiter, to: previous?.manifest.schema)
        }
        if let previous {
            try await GateService(context: context).requireTogether(
                previous, delivery: snapshot, source: source, environment: environment)
        }
        await checkpoint("ingest.staged")
        let delivered = (files: snapshot.files.count, rows: snapshot.files.reduce(0) { $0 + $1.rows })
        let manifest = VersionManifest(
            dataset: source.into, format: source.format, files: (previous?.manifest.files ?? []) + snapshot.files,
            schema: previous?.manifest.schema ?? snapshot.schema)
        let version = try DatasetVersion(manifest: manifest, createdAt: now(), createdBy: identity.name)
        try await objects.publish(snapshot.staged)
        let manifestID = try await objects.put(try CanonicalJSON.encode(manifest))
        guard manifestID == version.id else {
            throw InternalError("the stored manifest hashed to \(manifestID.short), not \(version.id.short)")
        }
        await checkpoint("ingest.published")
        try await metadata.saveVersion(version)
        let quarantine = try await GateService(context: context).keepInvalidRows(
            verdict, source: source, environment: environment)
        let checkRun = UUID().uuidString.lowercased()
        try await saveCheckRun(
            CheckRun(
                id: checkRun, dataset: source.into, environment: environment, version: version.id,
                quarantine: quarantine, origin: "ingest \(source.name)", passed: true, report: verdict.report,
                at: now(),
                contractDigest: project.datasets[source.into]?.contractDigest, gitCommit: git))
        EngineMetrics.gateJudged(verdict.report, dataset: source.into, landedRows: manifest.rows)

        if parent?.version(of: source.into) == version.id, let parent {
            try await metadata.touchEnvironment(environment, at: now())
            return IngestResult(
                source: source.name, dataset: source.into, environment: environment, version: version.id,
                commit: parent.id,
                files: delivered.files, rows: delivered.rows, bytes: manifest.bytes, datasetRows: manifest.rows,
                unchanged: true, report: verdict.report, quarantined: quarantine, checkRun: checkRun)
        }
        var datasets = parent?.content.datasets ?? [:]
        datasets[source.into.description] = version.id
        let commit = try Commit(
            CommitContent(
                parents: parent.map { [$0.id] } ?? [], datasets: datasets, actor: identity.name,
                message: "ingest \(source.name) into \(source.into)", gitCommit: git, createdAt: now()))
        try await metadata.saveCommit(commit)
        await checkpoint("ref.move")
        try await moveEnvironment(
            record, to: commit.id, reason: "ingest \(source.name)", gitCommit: git,
            details: [
                "version": version.id.hex, "commit": commit.id.hex, "rows": "\(delivered.rows)",
                "dataset_rows": "\(manifest.rows)", "bytes": "\(manifest.bytes)", "check_run": checkRun,
                "passed": "true", "mode": source.mode.rawValue,
            ])
        return IngestResult(
            source: source.name, dataset: source.into, environment: environment, version: version.id, commit: commit.id,
            files: delivered.files, rows: delivered.rows, bytes: manifest.bytes, datasetRows: manifest.rows,
            unchanged: false, report: verdict.report, quarantined: quarantine, checkRun: checkRun,
            warnings: try await brokenReferences(to: source.into, in: datasets, environment: environment))
    }

    /// The version of the source's dataset an `append` ingest adds to (none for a `snapshot` source).
    private func previousVersion(of source: Source, in parent: Commit?) async throws -> DatasetVersion? {
        guard source.mode == .append, let id = parent?.version(of: source.into) else { return nil }
        guard let version = try await metadata.version(id) else {
            throw InternalError("version \(id.short) is missing from the store; run sluice verify")
        }
        return version
    }

    /// An `append` ingest that found only files landed (or refused) before: nothing changes.
    private func nothingNew(
        _ source: Source, environment: String, previous: DatasetVersion?, parent: Commit?
    ) throws -> IngestResult {
        guard let previous, let parent else {
            throw UsageError(
                "source \(source.name) has nothing new at \(source.path): every file there was refused before",
                hint: "sluice quarantine list shows the refused batches; deliver corrected files under new names")
        }
        let report = ValidationReport(
            dataset: source.into.description, files: [], rows: 0, validRows: 0, invalidRows: 0, batchProblems: [],
            checks: [], checkedAt: now())
        return IngestResult(
            source: source.name, dataset: source.into, environment: environment, version: previous.id,
            commit: parent.id, files: 0, rows: 0, bytes: previous.manifest.bytes, datasetRows: previous.manifest.rows,
            unchanged: true, report: report, quarantined: nil)
    }

    /// The datasets standing in `versions` whose `references` to `target` no longer hold with its new version.
    private func brokenReferences(
        to target: DatasetName, in versions: [String: ObjectID], environment: String
    ) async throws -> [String] {
        var warnings: [String] = []
        for (name, dataset) in project.datasets.sorted(by: { $0.key.description < $1.key.description }) {
            guard let version = versions[name.description],
                dataset.checks.contains(where: {
                    guard case .references(_, let referenced, _) = $0.kind else { return false }
                    return referenced == target
                })
            else { continue }
            if let problem = try await LandingService(context: context).referencesProblem(
                name, version: version, standingWith: versions, environment: environment,
                origin: "ingest into \(target): \(name)'s references checked against the new version")
            {
                warnings.append(
                    "\(name) in \(environment): \(problem)\nuntil it is fixed, no promotion takes \(environment)'s \(name) with this \(target)"
                )
            }
        }
        return warnings
    }

    private func snapshotInputs(_ source: Source, files: [URL]) throws -> [Snapshotter.Input] {
        let disk = context.files
        let urls = files.isEmpty ? disk.files(matching: source.path, in: project.root) : files
        guard !urls.isEmpty else {
            throw UsageError(
                "source \(source.name) found no files at \(source.path)",
                hint: "put data there, or name files with --file PATH")
        }
        let rootPath = project.root.standardizedFileURL.path + "/"
        let realRoot = (disk.realPath(project.root.path) ?? project.root.path) + "/"
        // Where a file really is: its folder resolved once per folder, then the file itself only when it
        // is a link (a full realpath per file costs more than the copy of a small file).
        var realFolders: [String: String] = [:]
        func realLocation(_ path: String) -> String? {
            let folder = (path as NSString).deletingLastPathComponent
            if realFolders[folder] == nil { realFolders[folder] = disk.realPath(folder) }
            guard let realFolder = realFolders[folder], let kind = disk.kind(of: path) else { return nil }
            if kind == .link { return disk.realPath(path) }
            return realFolder + "/" + (path as NSString).lastPathComponent
        }
        var seen = Set<String>()
        return try urls.map { url in
            let path = url.standardizedFileURL.path
            // What it is, a link followed.
            guard let target = disk.kindFollowingLinks(of: path), target != .directory else {
                throw UsageError("no file at \(NameRules.quoted(path))", hint: "--file takes a path to a readable file")
            }
            // A landing file found by the source's pattern must be the project's own: a link out of it is
            // refused (a file named on the command line is the caller's choice).
            if files.isEmpty, let real = realLocation(path), !real.hasPrefix(realRoot) {
                throw UsageError(
                    "\(NameRules.quoted(path)) is a link to \(NameRules.quoted(real)), outside the project",
                    hint: "copy the file into the landing folder, or name it with --file")
            }
            let name = path.hasPrefix(rootPath) ? String(path.dropFirst(rootPath.count)) : url.lastPathComponent
            guard !name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) else {
                throw UsageError(
                    "the file name \(NameRules.quoted(name)) holds a control character (a line break, a tab…)",
                    hint: "rename the file; names are shown in logs and reports")
            }
            guard seen.insert(name).inserted else {
                throw UsageError("two files would both be named \(name) in the version", hint: "ingest them separately")
            }
            return Snapshotter.Input(url: url, name: name)
        }
    }
}
