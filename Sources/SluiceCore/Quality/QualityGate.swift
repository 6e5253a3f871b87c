import Foundation

/// One record's verdict, handed to the caller as a gate streams (to write valid rows and quarantine).
public struct RowVerdict {
    public var file: Int
    public var line: Int64
    /// The record as written, line break excluded.
    public var raw: UnsafeRawBufferPointer
    /// Error-severity checks the row failed; empty when the row is valid.
    public var failed: [String]
    /// Where the record lies in its file, from its first byte to the start of whatever follows its line
    /// break: cutting these bytes out leaves every other record exactly as written.
    public var span: Range<Int>

    public init(file: Int, line: Int64, raw: UnsafeRawBufferPointer, failed: [String], span: Range<Int> = 0..<0) {
        self.file = file
        self.line = line
        self.raw = raw
        self.failed = failed
        self.span = span
    }
}

/// Which rows a gate hands back to its caller.
public enum RowDelivery: Sendable {
    /// None: the report is all the caller needs.
    case none
    /// Rows that failed an error-severity check.
    case invalid
    /// Every row, in file order.
    case all
}

/// One file as the gate reads it: the bytes that will land, never a path someone else can still change.
public struct GateFile: Sendable {
    public var name: String
    public var segments: [ByteSegment]

    public init(name: String, segments: [ByteSegment]) {
        self.name = name
        self.segments = segments
    }

    /// A file read in place (ad hoc checks, which land nothing).
    public init(name: String, url: URL) {
        self.init(name: name, segments: [.file(url)])
    }
}

/// Checks incoming data against a dataset's contract before anything lands. SluiceQuality provides the
/// engine; the workspace only decides what lands, what is quarantined and what is refused.
public protocol QualityGate: Sendable {
    /// Streams `files` through every check of `dataset`, calling back with each header and each row.
    func validate(
        dataset: Dataset, format: DataFormat, delimiter: UInt8, files: [GateFile],
        references: [String: Set<String>?], now: Timestamp, rows: RowDelivery,
        onHeader: (Int, UnsafeRawBufferPointer) throws -> Void, onRow: (RowVerdict) throws -> Void
    ) throws -> ValidationReport

    /// The canonical keys of one column of stored data (the target of a `references` check), each value read
    /// as the column's type (dates and times by their `dateFormat`), as the checked column's values are.
    func columnValues(
        column: String, type: ColumnType?, dateFormat: DateFormat?, format: DataFormat, delimiter: UInt8,
        data: [Data]
    ) throws -> Set<String>
}

/// The gate failed: nothing landed in the environment; the batch (or its bad rows) is in quarantine.
public struct GateFailed: SluiceError {
    public var report: ValidationReport
    public var reason: String
    public var quarantineID: String?
    /// The gate result kept for it, which the audit event names.
    public var checkRunID: String? = nil

    public var status: ExitStatus { .failed }
    public var code: ErrorCode { .gateFailed }

    public var auditDetails: [String: String] {
        var details: [String: String] = [:]
        if let checkRunID {
            details["check_run"] = checkRunID
            details["passed"] = "false"
        }
        if let quarantineID { details["quarantine"] = quarantineID }
        return details
    }

    public var description: String {
        var lines = ["quality gate failed for \(report.dataset): \(reason)"]
        lines.append(report.summary)
        if let quarantineID {
            lines.append("the batch is in quarantine as \(quarantineID): sluice quarantine show \(quarantineID)")
        }
        lines.append("nothing changed in the environment")
        return lines.joined(separator: "\n")
    }
}

extension ValidationReport {
    /// A readable table of checks: outcome, failing count and a few sample rows with line numbers.
    public var summary: String {
        var lines = ["\(rows) rows checked, \(invalidRows) invalid (\(String(format: "%.2f", invalidRatio * 100))%)"]
        for problem in batchProblems { lines.append("  batch: \(problem)") }
        for check in checks {
            let mark = check.success ? "ok  " : (check.severity == .warn ? "WARN" : "FAIL")
            var line = "  \(mark) \(check.id)"
            if !check.success {
                line +=
                    check.message.map { ": \($0)" }
                    ?? ": \(check.unexpectedCount) rows (\(String(format: "%.2f", check.unexpectedPercent))%)"
            }
            lines.append(line)
            for sample in check.samples where !check.success {
                lines.append("         line \(sample.line)\(sample.file.map { " of \($0)" } ?? ""): \(sample.value)")
            }
        }
        return lines.joined(separator: "\n")
    }
}
