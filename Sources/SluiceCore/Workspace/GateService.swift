import Crypto
import Foundation

/// What the gate decided about an incoming batch that may land.
struct GateVerdict: Sendable {
    var report: ValidationReport
    /// Valid rows only, staged, when some rows were quarantined; `nil` when the files land as they are.
    var filtered: Snapshotter.Result?
    /// The invalid rows as one staged JSON Lines object, when rows were quarantined.
    var invalidRows: (object: StagedObject, file: ManifestFile)?
}

/// The quality gate on incoming data: the verdict, the quarantine of what fails it.
public struct GateService: UseCase {
    public let context: EngineContext

    public init(context: EngineContext) { self.context = context }

    /// Checks a batch against its dataset's contract. Returns how it lands, or throws `GateFailed` after
    /// putting the whole batch in quarantine.
    func gateIncoming(
        _ source: Source, snapshot: Snapshotter.Result, environment: String, head: Commit?, schema: [String]? = nil
    ) async throws
        -> GateVerdict
    {
        guard let dataset = project.datasets[source.into] else {
            throw InternalError("source \(source.name) feeds undeclared dataset \(source.into)")
        }
        let files = try await gateFiles(snapshot)
        if source.format == .csv, files.count > 1 || schema != nil,
            let mismatch = ColumnAligner.mismatch(
                try await ColumnAligner(objects: objects).headers(snapshot, delimiter: source.delimiter),
                names: files.map(\.name), expected: schema)
        {
            let report = ValidationReport(
                dataset: dataset.name.description, files: files.map(\.name), rows: 0, validRows: 0, invalidRows: 0,
                batchProblems: [mismatch], checks: [], checkedAt: now())
            try await reject(source, snapshot: snapshot, environment: environment, report: report, reason: mismatch)
        }
        guard !dataset.columns.isEmpty || !dataset.checks.isEmpty else {
            let report = ValidationReport(
                dataset: dataset.name.description, files: files.map(\.name), rows: 0, validRows: 0, invalidRows: 0,
                batchProblems: [], checks: [], checkedAt: now())
            return GateVerdict(report: report, filtered: nil, invalidRows: nil)
        }
        guard let gate else {
            throw InternalError("\(dataset.name) declares a contract but this engine has no quality gate configured")
        }
        let references = try await referenceValues(for: dataset, head: head, gate: gate)
        // Created at the first invalid row, so a clean batch writes no quarantine file at all.
        var quarantineWriter: StagingFile?
        var invalidSpans = Array(repeating: [Range<Int>](), count: files.count)
        let checkedAt = now()
        let report = try await Blocking.run {
            try gate.validate(
                dataset: dataset, format: source.format, delimiter: source.delimiter, files: files,
                references: references,
                now: checkedAt, rows: .invalid, onHeader: { _, _ in },
                onRow: { verdict in
                    invalidSpans[verdict.file].append(verdict.span)
                    if quarantineWriter == nil { quarantineWriter = try StagingFile(objects: objects) }
                    try quarantineWriter?.append(Self.quarantineLine(file: files[verdict.file].name, verdict))
                })
        }
        var refusal: String?
        if !report.batchProblems.isEmpty {
            refusal = report.batchProblems.joined(separator: "; ")
        } else if report.invalidRows > 0 && dataset.onInvalid == .reject {
            refusal = "\(report.invalidRows) invalid rows and on_invalid is reject"
        } else if report.invalidRows > 0 && report.invalidRatio > dataset.maxInvalidRatio {
            refusal = String(
                format: "%.2f%% of rows are invalid, more than max_invalid_ratio %.2f%%", report.invalidRatio * 100,
                dataset.maxInvalidRatio * 100)
        }
        if let refusal {
            quarantineWriter?.abandon()
            try await reject(source, snapshot: snapshot, environment: environment, report: report, reason: refusal)
        }
        guard report.invalidRows > 0 else {
            quarantineWriter?.abandon()
            return GateVerdict(report: report, filtered: nil, invalidRows: nil)
        }
        guard let quarantineWriter else { throw InternalError("invalid rows were counted but none was written") }
        let invalid = try quarantineWriter.finish(name: "invalid-rows.jsonl", rows: report.invalidRows)
        // The valid rows land as they were written: the invalid records' bytes are cut out of the snapshot.
        do {
            let filtered = try await RecordCutter(objects: objects).cut(
                invalidSpans, from: snapshot)
            return GateVerdict(report: report, filtered: filtered, invalidRows: invalid)
        } catch {
            await objects.discard([invalid.object])
            throw error
        }
    }

    /// A delivery appended to `previous` must keep the dataset's table checks (`unique`, `row_count`, …)
    /// together with the rows already there: judged on both (`references` are judged where versions stand
    /// together); a delivery that breaks them is refused whole, naming the checks.
    func requireTogether(
        _ previous: DatasetVersion, delivery snapshot: Snapshotter.Result, source: Source, environment: String
    ) async throws {
        guard var contract = project.datasets[source.into], let gate else { return }
        contract.checks = contract.checks.filter {
            if case .references = $0.kind { return false }
            return true
        }
        guard contract.columns.contains(where: \.unique) || !contract.checks.isEmpty else { return }
        let files = try await storedGateFiles(previous) + (try await gateFiles(snapshot))
        let checkedAt = now()
        let report = try await Blocking.run {
            try gate.validate(
                dataset: contract, format: source.format, delimiter: source.delimiter, files: files, references: [:],
                now: checkedAt, rows: .none, onHeader: { _, _ in }, onRow: { _ in })
        }
        guard !report.batchProblems.isEmpty || report.invalidRows > 0 else { return }
        let failed = report.failedChecks.map(\.id) + report.batchProblems
        try await reject(
            source, snapshot: snapshot, environment: environment, report: report,
            reason:
                "together with the \(previous.manifest.rows) rows already in \(source.into), \(failed.joined(separator: ", ")) fails"
        )
    }

    /// Keeps the invalid rows of an accepted batch in quarantine; returns the batch id.
    func keepInvalidRows(_ verdict: GateVerdict, source: Source, environment: String) async throws -> String? {
        guard let invalid = verdict.invalidRows else { return nil }
        try await objects.publish([invalid.object])
        let batch = QuarantineBatch(
            id: Self.quarantineID(), kind: .rows, dataset: source.into, environment: environment,
            origin: "ingest \(source.name)",
            reason: "\(verdict.report.invalidRows) invalid rows (on_invalid: quarantine_rows)",
            rows: verdict.report.invalidRows,
            files: [invalid.file], format: .jsonl, at: now(), by: identity.name)
        try await metadata.saveQuarantine(batch)
        return batch.id
    }

    /// Puts a refused batch in quarantine as it arrived, records the failed gate, and throws `GateFailed`.
    func reject(
        _ source: Source, snapshot: Snapshotter.Result, environment: String, report: ValidationReport, reason: String
    )
        async throws -> Never
    {
        try await objects.publish(snapshot.staged)
        let batch = QuarantineBatch(
            id: Self.quarantineID(), kind: .rejected, dataset: source.into, environment: environment,
            origin: "ingest \(source.name)",
            reason: reason, rows: report.rows, files: snapshot.files, format: source.format, at: now(),
            by: identity.name)
        try await metadata.saveQuarantine(batch)
        let checkRun = UUID().uuidString.lowercased()
        try await saveCheckRun(
            CheckRun(
                id: checkRun, dataset: source.into, environment: environment, version: nil, quarantine: batch.id,
                origin: "ingest \(source.name)", passed: false, report: report, at: now(),
                contractDigest: project.datasets[source.into]?.contractDigest, gitCommit: await recordedGitCommit()))
        EngineMetrics.gateJudged(report, dataset: source.into, landedRows: nil)
        throw GateFailed(report: report, reason: reason, quarantineID: batch.id, checkRunID: checkRun)
    }

    /// The staged bytes of each file of a snapshot, as the gate reads them.
    func gateFiles(_ snapshot: Snapshotter.Result) async throws -> [GateFile] {
        var staged: [ObjectID: StagedObject] = [:]
        for object in snapshot.staged where staged[object.id] == nil { staged[object.id] = object }
        var files: [GateFile] = []
        for file in snapshot.files {
            var segments: [ByteSegment] = []
            for chunk in file.chunks {
                guard let object = staged[chunk.object] else {
                    throw InternalError("chunk \(chunk.object.short) of \(file.name) was not staged")
                }
                segments.append(try await objects.gateSegment(ofStaged: object))
            }
            files.append(GateFile(name: file.name, segments: segments))
        }
        return files
    }

    /// The stored bytes of each file of a version, as the gate reads them.
    func storedGateFiles(_ version: DatasetVersion) async throws -> [GateFile] {
        var files: [GateFile] = []
        for file in version.manifest.files {
            var segments: [ByteSegment] = []
            for chunk in file.chunks { segments.append(try await objects.gateSegment(of: chunk.object)) }
            files.append(GateFile(name: file.name, segments: segments))
        }
        return files
    }

    /// Values of every `references` check's target column in the environment's current data.
    func referenceValues(
        for dataset: Dataset, head: Commit?, gate: any QualityGate
    ) async throws -> [String: Set<String>?] {
        try await referenceValues(for: dataset, in: head?.content.datasets ?? [:], gate: gate)
    }

    /// Values of every `references` check's target column in the given versions (by dataset name).
    func referenceValues(
        for dataset: Dataset, in versions: [String: ObjectID], gate: any QualityGate
    ) async throws -> [String: Set<String>?] {
        var values: [String: Set<String>?] = [:]
        for check in dataset.checks {
            guard case .references(_, let target, let targetColumn) = check.kind else { continue }
            let id = check.id
            guard let versionID = versions[target.description], let version = try await metadata.version(versionID)
            else {
                values[id] = .some(nil)
                continue
            }
            let spec = project.datasets[target]?.columns.first { $0.name == targetColumn }
            let delimiter = project.sources.values.first { $0.into == target }?.delimiter ?? UInt8(ascii: ",")
            // File by file: each file of a version has its own header and its own last line.
            var keys = Set<String>()
            for file in version.manifest.files {
                var data: [Data] = []
                for chunk in file.chunks { data.append(try await objects.read(chunk.object)) }
                keys.formUnion(
                    try gate.columnValues(
                        column: targetColumn, type: spec?.type, dateFormat: spec?.format,
                        format: version.manifest.format, delimiter: delimiter, data: data))
            }
            values[id] = keys
        }
        return values
    }

    static func quarantineID() -> String {
        "q-" + UUID().uuidString.lowercased().prefix(8)
    }

    /// One quarantined row as a JSON line. A record that is not valid UTF-8 is kept byte for byte as
    /// `record_base64` (JSON text cannot hold it), never with its bad bytes replaced.
    static func quarantineLine(file: String, _ verdict: RowVerdict) -> [UInt8] {
        var object: [String: Any] = ["file": file, "line": verdict.line, "failed": verdict.failed]
        if let text = String(validating: verdict.raw, as: UTF8.self) {
            object["record"] = text
        } else {
            object["record_base64"] = Data(verdict.raw).base64EncodedString()
        }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        return Array(data) + [UInt8(ascii: "\n")]
    }
}

/// A file being written into the store line by line, hashed as it goes.
final class StagingFile {
    private let writer: any ObjectWriter
    private var hasher = SHA256()
    private(set) var bytes: Int64 = 0
    private(set) var lines: Int64 = 0

    init(objects: any ObjectStore) throws {
        writer = try objects.makeWriter()
    }

    func append(_ data: [UInt8]) throws {
        try data.withUnsafeBytes { try write($0) }
        lines += 1
    }

    /// Writes bytes as they are (no line is counted).
    func write(_ buffer: UnsafeRawBufferPointer) throws {
        try writer.write(buffer)
        hasher.update(bufferPointer: buffer)
        bytes += Int64(buffer.count)
    }

    func appendLine(_ raw: UnsafeRawBufferPointer) throws {
        try append(Array(raw) + [UInt8(ascii: "\n")])
    }

    func finish(name: String, rows: Int64) throws -> (object: StagedObject, file: ManifestFile) {
        let id = ObjectID(digest: hasher.finalize())
        let object = try writer.finish(id: id, size: bytes)
        return (object, ManifestFile(name: name, chunks: [ChunkRef(object: id, bytes: bytes)], rows: rows))
    }

    func abandon() { writer.abandon() }
}
