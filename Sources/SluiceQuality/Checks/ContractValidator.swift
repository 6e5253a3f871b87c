import Foundation
import SluiceCore

/// Checks data against a dataset's contract in one streaming pass: schema, every column rule and every
/// table check, with malformed records reported as row problems rather than stopping the read.
public final class ContractValidator {
    public let dataset: Dataset
    public let format: DataFormat
    public let delimiter: UInt8
    public let now: Timestamp
    public let sampleLimit: Int
    public let maxRecordBytes: Int
    /// Values of each `references` check's target column, by check id; `nil` when the target has no data.
    let references: [String: Set<String>?]
    private var tallies: [String: Tally] = [:]
    private var order: [String] = []
    private var batchProblems: [String] = []

    final class Tally {
        let type: String
        let column: String?
        let severity: CheckSeverity
        var failures: Int64 = 0
        var samples: [CheckResult.Sample] = []
        var message: String?

        init(type: String, column: String?, severity: CheckSeverity) {
            self.type = type
            self.column = column
            self.severity = severity
        }
    }

    public init(
        dataset: Dataset, format: DataFormat, delimiter: UInt8 = UInt8(ascii: ","),
        references: [String: Set<String>?] = [:],
        now: Timestamp, sampleLimit: Int = 5, maxRecordBytes: Int = 64 << 20
    ) {
        self.dataset = dataset
        self.format = format
        self.delimiter = delimiter
        self.references = references
        self.now = now
        self.sampleLimit = sampleLimit
        self.maxRecordBytes = maxRecordBytes
    }

    var masksEverything: Bool { dataset.classification == .restricted }

    func masked(_ column: String?, _ value: String) -> String {
        if masksEverything || (column.map(dataset.pii.contains) ?? false) { return "***" }
        return value.count > 80 ? String(value.prefix(80)) + "…" : value
    }

    private func tally(_ id: String, type: String, column: String?, severity: CheckSeverity) -> Tally {
        if let existing = tallies[id] { return existing }
        let created = Tally(type: type, column: column, severity: severity)
        tallies[id] = created
        order.append(id)
        return created
    }

    private func fail(_ id: String, line: Int64, value: String, file: String) {
        guard let tally = tallies[id] else { return }
        tally.failures += 1
        if tally.samples.count < sampleLimit {
            tally.samples.append(.init(line: line, value: masked(tally.column, value), file: file))
        }
    }

    public func validate(
        _ inputs: [(name: String, source: any ByteSource)],
        onHeader: (Int, UnsafeRawBufferPointer) throws -> Void = { _, _ in },
        onRow: (RowVerdict) throws -> Void = { _ in }
    ) throws -> ValidationReport {
        let rules = dataset.columns.map(ColumnRule.init)
        _ = tally("parse", type: "parse", column: nil, severity: .error)
        for rule in rules {
            for type in rule.declaredChecks {
                _ = tally("\(rule.spec.name).\(type)", type: type, column: rule.spec.name, severity: rule.spec.severity)
            }
        }
        var composite: [(id: String, columns: [Int], seen: Set<String>, severity: CheckSeverity)] = []
        var referenceChecks: [(id: String, column: Int, values: Set<String>, severity: CheckSeverity)] = []
        var freshness: [(id: String, column: Int, maxAge: TimeSpan, newest: Int64?)] = []
        for check in dataset.checks {
            let id = check.id
            switch check.kind {
            case .rowCount:
                _ = tally(id, type: "row_count", column: nil, severity: check.severity)
            case .unique(let columns):
                _ = tally(id, type: "unique", column: columns.joined(separator: ","), severity: check.severity)
                composite.append(
                    (id, columns.compactMap { name in rules.firstIndex { $0.spec.name == name } }, [], check.severity))
            case .references(let column, let target, _):
                _ = tally(id, type: "references", column: column, severity: check.severity)
                guard let index = rules.firstIndex(where: { $0.spec.name == column }) else { continue }
                if let values = references[id] ?? nil {
                    referenceChecks.append((id, index, values, check.severity))
                } else {
                    let message = "\(target) has no data in this environment to check against; ingest it first"
                    tallies[id]?.message = message
                    if check.severity == .error { batchProblems.append("\(id): \(message)") }
                }
            case .freshness(let column, let maxAge):
                _ = tally(id, type: "freshness", column: column, severity: check.severity)
                if let index = rules.firstIndex(where: { $0.spec.name == column }) {
                    freshness.append((id, index, maxAge, nil))
                }
            }
        }

        var rows: Int64 = 0
        var invalid: Int64 = 0
        var values = [TypedValue?](repeating: nil, count: rules.count)
        var failed: [String] = []
        for (fileIndex, input) in inputs.enumerated() {
            let rowSource = try RowSource(
                format: format, source: input.source, delimiter: delimiter, maxRecordBytes: maxRecordBytes)
            let mapping = try rowSource.columnMapping(rules.map(\.spec.name), file: input.name) { problem in
                batchProblems.append(problem)
            }
            if let header = rowSource.header { try onHeader(fileIndex, header) }
            while try rowSource.next() {
                rows += 1
                failed.removeAll(keepingCapacity: true)
                let line = rowSource.line
                if let problem = rowSource.problem(expectedFields: mapping.fieldCount) {
                    fail("parse", line: line, value: problem.message, file: input.name)
                    failed.append("parse")
                } else {
                    for (index, rule) in rules.enumerated() {
                        values[index] = nil
                        let name = rule.spec.name
                        guard let bytes = rowSource.value(at: mapping.positions[index], key: name) else {
                            if rule.spec.required {
                                fail("\(name).required", line: line, value: "(empty)", file: input.name)
                                if rule.spec.severity == .error { failed.append("\(name).required") }
                            }
                            continue
                        }
                        let value = bytes.withUnsafeBytes { rule.parse($0) }
                        guard let value else {
                            fail(
                                "\(name).type", line: line, value: String(decoding: bytes, as: UTF8.self),
                                file: input.name)
                            if rule.spec.severity == .error { failed.append("\(name).type") }
                            continue
                        }
                        values[index] = value
                        for type in rule.failures(of: value) {
                            fail(
                                "\(name).\(type)", line: line, value: String(decoding: bytes, as: UTF8.self),
                                file: input.name)
                            if rule.spec.severity == .error { failed.append("\(name).\(type)") }
                        }
                    }
                    for index in composite.indices {
                        let key = composite[index].columns.map { values[$0]?.key ?? "\u{0}" }.joined(
                            separator: "\u{1F}")
                        if !composite[index].seen.insert(key).inserted {
                            fail(
                                composite[index].id, line: line,
                                value: key.replacingOccurrences(of: "\u{1F}", with: ","), file: input.name)
                            if composite[index].severity == .error { failed.append(composite[index].id) }
                        }
                    }
                    for check in referenceChecks {
                        guard let value = values[check.column], !check.values.contains(value.key) else { continue }
                        fail(check.id, line: line, value: value.key, file: input.name)
                        if check.severity == .error { failed.append(check.id) }
                    }
                    for index in freshness.indices {
                        guard let value = values[freshness[index].column] else { continue }
                        let time: Int64
                        switch value {
                        case .timestamp(let milliseconds): time = milliseconds
                        case .date(let days): time = days * 86_400_000
                        default: continue
                        }
                        freshness[index].newest = max(freshness[index].newest ?? time, time)
                    }
                }
                if !failed.isEmpty { invalid += 1 }
                try onRow(RowVerdict(file: fileIndex, line: line, raw: rowSource.raw, failed: failed))
            }
        }
        finishTableChecks(rows: rows, freshness: freshness.map { ($0.id, $0.maxAge, $0.newest) })
        let checks = order.map { id -> CheckResult in
            let tally = tallies[id]!
            let success = tally.failures == 0 && tally.message == nil
            return CheckResult(
                id: id, type: tally.type, column: tally.column, severity: tally.severity, success: success,
                elementCount: rows,
                unexpectedCount: tally.failures,
                unexpectedPercent: rows == 0 ? 0 : Double(tally.failures) * 100 / Double(rows),
                samples: tally.samples, message: tally.message)
        }
        return ValidationReport(
            dataset: dataset.name.description, files: inputs.map(\.name), rows: rows, validRows: rows - invalid,
            invalidRows: invalid,
            batchProblems: batchProblems, checks: checks, checkedAt: now)
    }

    private func finishTableChecks(rows: Int64, freshness: [(String, TimeSpan, Int64?)]) {
        for check in dataset.checks {
            guard case .rowCount(let min, let max) = check.kind, let tally = tallies["row_count"] else { continue }
            if let min, rows < Int64(min) { tally.message = "found \(rows) rows, need at least \(min)" }
            if let max, rows > Int64(max) { tally.message = "found \(rows) rows, allowed at most \(max)" }
        }
        for (id, maxAge, newest) in freshness {
            guard let tally = tallies[id] else { continue }
            guard let newest else {
                tally.message = "no value to judge freshness by"
                continue
            }
            let age = now.milliseconds - newest
            if age > maxAge.seconds * 1000 {
                tally.message = "newest value is \(Timestamp(milliseconds: newest).iso8601), older than \(maxAge)"
            }
        }
        for (id, tally) in tallies
        where tally.message != nil && tally.severity == .error && ["row_count", "freshness"].contains(tally.type) {
            batchProblems.append("\(id): \(tally.message!)")
        }
    }
}
