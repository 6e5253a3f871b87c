import Foundation

/// Gate results and quarantined batches, and ad-hoc checks of a file against a contract.
public struct QualityService: UseCase {
    public let context: EngineContext

    public init(context: EngineContext) { self.context = context }

    /// Quarantined batches the identity may read: by the environment and zone they were bound for, and the
    /// dataset's classification (the same rule as `show`, `cat` and the web UI).
    public func quarantineBatches() async throws -> [QuarantineBatch] {
        try await metadata.quarantines().filter { visibility.mayRead($0.dataset, in: $0.environment) }
    }

    public func quarantineBatch(_ id: String) async throws -> QuarantineBatch {
        guard let batch = try await metadata.quarantines().first(where: { $0.id == id }) else {
            throw UsageError.notFound(
                "no quarantine batch \(NameRules.quoted(id))", hint: "sluice quarantine list shows them")
        }
        try await requireRead(batch.environment, dataset: batch.dataset)
        return batch
    }

    /// Streams a quarantined batch's data: the original files of a rejected batch, or the invalid rows
    /// (one JSON object per line with file, line, failed checks and the record).
    public func catQuarantine(_ id: String, to sink: (UnsafeRawBufferPointer) throws -> Void) async throws {
        let batch = try await quarantineBatch(id)
        let mask = policy.mask(for: batch.dataset, in: batch.environment, by: identity)
        guard mask == .none || (batch.kind == .rejected && batch.format == .csv) else {
            let reason =
                "quarantined rows of \(batch.dataset) hold PII or restricted values, shown only with an unmask grant"
            try await refuse(
                reason,
                remedy: "a grant unmask:\(batch.environment):\(batch.dataset.zone), or sluice quarantine show \(id)",
                action: "read", target: "quarantine \(id)")
        }
        for file in batch.files {
            var masker = CSVMasker(mask: mask)
            for chunk in file.chunks {
                try await objects.stream(chunk.object) { bytes in
                    guard mask != .none else { return try sink(bytes) }
                    try masker.process(bytes).withUnsafeBytes(sink)
                }
            }
        }
    }

    /// Gate results with their history, newest first.
    public func checkRuns(dataset name: String?, environment: String?) async throws -> [CheckRun] {
        let (dataset, environment) = try await checkRunScope(name, environment)
        return try await metadata.checkRuns(dataset: dataset, environment: environment).filter(mayRead)
    }

    /// One page of gate results, newest first, without those the caller may not read (a page may hold fewer
    /// than its limit; `next` goes on from where it ended).
    public func checkRunPage(
        dataset name: String?, environment: String?, page: PageRequest
    ) async throws
        -> Page<CheckRun>
    {
        let (dataset, environment) = try await checkRunScope(name, environment)
        var found = try await metadata.checkRuns(dataset: dataset, environment: environment, page: page)
        found.items = found.items.filter(mayRead)
        return found
    }

    private func checkRunScope(_ name: String?, _ environment: String?) async throws -> (DatasetName?, String?) {
        let dataset = try name.map(datasetName)
        if let dataset, project.datasets[dataset] == nil {
            throw UsageError.notFound(
                "no dataset \(dataset) in the project",
                hint: "datasets: \(project.datasets.keys.map(\.description).sorted().joined(separator: ", "))")
        }
        let environment = try environment.map(validEnvironmentName)
        if let environment { try await requireRead(environment, zone: dataset?.zone) }
        return (dataset, environment)
    }

    private func mayRead(_ run: CheckRun) -> Bool {
        visibility.mayRead(run.environment, zone: run.dataset.zone)
    }

    /// Validates a file against a dataset's contract with the same engine as ingestion; changes nothing.
    /// References resolve against `environment`'s current data.
    public func check(file: URL, against name: String, in environment: String?) async throws -> ValidationReport {
        let (declared, environment) = try await authorizeCheck(against: name, in: environment)
        guard let gate else { throw InternalError("this engine has no quality gate configured") }
        guard (try? await files.snapshot(of: file)) != nil else { throw UsageError("cannot read \(file.path)") }
        let source = project.sources.values.first { $0.into == declared.name }
        let format = source?.format ?? (file.pathExtension == "jsonl" || file.pathExtension == "ndjson" ? .jsonl : .csv)
        let head = try await headCommit(of: try await environmentRecord(environment))
        let references = try await GateService(context: context).referenceValues(for: declared, head: head, gate: gate)
        return try await Blocking.run {
            try gate.validate(
                dataset: declared, format: format, delimiter: source?.delimiter ?? UInt8(ascii: ","),
                files: [GateFile(name: file.lastPathComponent, url: file)], references: references, now: now(),
                rows: .none,
                onHeader: { _, _ in },
                onRow: { _ in })
        }
    }

    /// Decides whether the caller may check a file against `name`'s contract in `environment`, before the
    /// file is read (the service refuses an upload from its headers).
    @discardableResult
    public func authorizeCheck(against name: String, in environment: String?) async throws -> (Dataset, String) {
        let dataset = try datasetName(name)
        guard let declared = project.datasets[dataset] else {
            throw UsageError.notFound(
                "no dataset \(dataset) in the project", hint: "datasets are declared under datasets: in sluice.yaml")
        }
        let environment = try validEnvironmentName(environment ?? project.defaultEnvironment)
        try await requireRead(environment)
        return (declared, environment)
    }
}
