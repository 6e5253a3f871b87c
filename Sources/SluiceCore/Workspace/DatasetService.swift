/// A dataset as it stands in an environment.
public struct DatasetEntry: Sendable, Codable, Hashable {
    public var name: String
    public var version: ObjectID?
    public var rows: Int64?
    public var bytes: Int64?
    public var files: Int?
    public var createdAt: Timestamp?
    public var createdBy: String?
    public var owner: String?
    public var classification: String?
}

/// Everything known about one dataset in one environment.
public struct DatasetDetails: Sendable, Codable, Hashable {
    public var entry: DatasetEntry
    public var environment: String
    public var schema: [String]
    public var files: [ManifestFile]
    public var pii: [String]
    public var lifecycle: String
    public var writer: String?
    public var contractColumns: [String]
    /// Earlier versions in this environment's history, newest first.
    public var history: [HistoryEntry]

    public struct HistoryEntry: Sendable, Codable, Hashable {
        public var version: ObjectID
        public var commit: ObjectID
        public var at: Timestamp
        public var actor: String
    }
}

/// Datasets and their versions: what an environment holds, a version's details and data, commit history.
public struct DatasetService: UseCase {
    public let context: EngineContext

    public init(context: EngineContext) { self.context = context }

    /// The datasets in an environment's head, with the declared ones that hold no data yet.
    public func datasets(in environment: String?) async throws -> [DatasetEntry] {
        let environment = try validEnvironmentName(environment ?? project.defaultEnvironment)
        try await requireRead(environment)
        let record = try await environmentRecord(environment)
        let commit = try await headCommit(of: record)
        try await touch(record)
        var names = Set(project.datasets.keys.map(\.description))
        names.formUnion(commit?.content.datasets.keys ?? [:].keys)
        var entries: [DatasetEntry] = []
        for name in names.sorted() {
            entries.append(try await entry(name, versionID: commit?.content.datasets[name]))
        }
        return entries
    }

    /// A dataset in an environment, with its history: the whole of it, each commit checked against its id
    /// (`historyLimit` nil, as `sluice datasets show` does), or, for display, the last `historyLimit` commits
    /// read straight from the store.
    public func datasetDetails(
        _ name: String, in environment: String?, historyLimit: Int? = nil
    ) async throws -> DatasetDetails {
        let dataset = try datasetName(name)
        let environment = try validEnvironmentName(environment ?? project.defaultEnvironment)
        try await requireRead(environment, dataset: dataset)
        let record = try await environmentRecord(environment)
        let commit = try await headCommit(of: record)
        guard project.datasets[dataset] != nil || commit?.version(of: dataset) != nil else {
            throw UsageError.notFound(
                "no dataset \(dataset) in the project or in \(environment)",
                hint: "datasets: \(project.datasets.keys.map(\.description).sorted().joined(separator: ", "))")
        }
        try await touch(record)
        let versionID = commit?.version(of: dataset)
        let version = try await versionID.asyncMap { try await metadata.version($0) } ?? nil
        // Walking back along first parents, a run of commits sharing a version ends at the commit that made it.
        var history: [DatasetDetails.HistoryEntry] = []
        for commit in try await historyCommits(of: dataset, from: record.head, limit: historyLimit) {
            guard let id = commit.version else { continue }
            let entry = DatasetDetails.HistoryEntry(
                version: id, commit: commit.commit, at: commit.createdAt, actor: commit.actor)
            if history.last?.version == id { history[history.count - 1] = entry } else { history.append(entry) }
        }
        let declared = project.datasets[dataset]
        return DatasetDetails(
            entry: try await entry(dataset.description, versionID: versionID), environment: environment,
            schema: version?.manifest.schema ?? [], files: version?.manifest.files ?? [], pii: declared?.pii ?? [],
            lifecycle: project.lifecycle(of: dataset)?.summary ?? "none", writer: project.writers()[dataset]?.first,
            contractColumns: declared?.columns.map { "\($0.name): \($0.type.rawValue)" } ?? [], history: history)
    }

    private func historyCommits(
        of dataset: DatasetName, from head: ObjectID?, limit: Int?
    ) async throws -> [DatasetAtCommit] {
        guard let head else { return [] }
        if let limit { return try await metadata.datasetHistory(dataset, from: head, limit: limit) }
        return try await CommitGraph(metadata: metadata).firstParentHistory(from: head, limit: 10_000).map {
            DatasetAtCommit(
                commit: $0.id, createdAt: $0.content.createdAt, actor: $0.content.actor,
                version: $0.version(of: dataset))
        }
    }

    /// One page of an environment's commits, newest first, along first parents.
    public func logPage(of environment: String?, page: PageRequest) async throws -> Page<Commit> {
        let environment = try validEnvironmentName(environment ?? project.defaultEnvironment)
        try await requireRead(environment)
        let record = try await environmentRecord(environment)
        try await touch(record)
        guard let head = record.head else { return Page(items: [], next: nil) }
        return try await metadata.firstParentHistory(from: head, page: page)
    }

    /// Commits of an environment, newest first, along first parents.
    public func log(of environment: String?, limit: Int = 50) async throws -> [Commit] {
        let environment = try validEnvironmentName(environment ?? project.defaultEnvironment)
        try await requireRead(environment)
        let record = try await environmentRecord(environment)
        try await touch(record)
        return try await CommitGraph(metadata: metadata).firstParentHistory(from: record.head, limit: limit)
    }

    /// Streams a dataset version's data. `NAME@VERSION` picks a version (an id prefix) from the environment's
    /// history. For CSV, the header of every file after the first is skipped.
    public func cat(
        _ reference: String, in environment: String?, to sink: (UnsafeRawBufferPointer) throws -> Void
    ) async throws {
        let reference = try DatasetReference(parsing: reference)
        let dataset = reference.dataset
        let environment = try validEnvironmentName(environment ?? project.defaultEnvironment)
        try await requireRead(environment, dataset: dataset)
        let mask = policy.mask(for: dataset, in: environment, by: identity)
        let record = try await environmentRecord(environment)
        let version = try await resolveVersion(dataset, prefix: reference.versionPrefix, in: record)
        if mask != .none && version.manifest.format != .csv {
            // Only CSV is masked as it streams; other formats are refused whole, and the refusal audited.
            try await authorize(
                .refused(
                    "\(dataset) holds PII or restricted values, shown only with an unmask grant",
                    remedy: "a grant unmask:\(environment):\(dataset.zone)"), action: "read",
                target: "\(environment):\(dataset)")
        }
        if let collected = try await metadata.collectedVersions()[version.id] {
            throw UsageError(
                "version \(version.id.short) of \(dataset) was let go by its lifecycle on \(collected.iso8601); its data is gone",
                hint: "sluice log --env \(environment) shows the versions still held")
        }
        try await touch(record)
        // Masked values are replaced as the bytes stream past (the masker sees one header, the first file's).
        var masker = CSVMasker(mask: mask)
        try await VersionReader(objects: objects).stream(version) { bytes in
            guard mask != .none else { return try sink(bytes) }
            try masker.process(bytes).withUnsafeBytes(sink)
        }
    }

    private func entry(_ name: String, versionID: ObjectID?) async throws -> DatasetEntry {
        let declared = DatasetName(name).flatMap { project.datasets[$0] }
        let version = try await versionID.asyncMap { try await metadata.version($0) } ?? nil
        return DatasetEntry(
            name: name, version: versionID, rows: version?.manifest.rows, bytes: version?.manifest.bytes,
            files: version?.manifest.files.count, createdAt: version?.createdAt, createdBy: version?.createdBy,
            owner: declared?.owner, classification: declared?.classification?.rawValue)
    }

}
