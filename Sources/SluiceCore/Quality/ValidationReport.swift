/// The outcome of one check over a batch, in the shape data-quality tools report (element count,
/// unexpected count and percent, capped samples).
public struct CheckResult: Hashable, Sendable, Codable {
    public struct Sample: Hashable, Sendable, Codable {
        public var line: Int64
        public var value: String
        public var file: String?

        public init(line: Int64, value: String, file: String?) {
            self.line = line
            self.value = value
            self.file = file
        }
    }

    public var id: String
    public var type: String
    public var column: String?
    public var severity: CheckSeverity
    public var success: Bool
    public var elementCount: Int64
    public var unexpectedCount: Int64
    public var unexpectedPercent: Double
    public var samples: [Sample]
    /// For table checks: what was found, e.g. `found 0 rows, need at least 1`.
    public var message: String?

    public init(
        id: String, type: String, column: String?, severity: CheckSeverity, success: Bool, elementCount: Int64,
        unexpectedCount: Int64, unexpectedPercent: Double, samples: [Sample], message: String?
    ) {
        self.id = id
        self.type = type
        self.column = column
        self.severity = severity
        self.success = success
        self.elementCount = elementCount
        self.unexpectedCount = unexpectedCount
        self.unexpectedPercent = unexpectedPercent
        self.samples = samples
        self.message = message
    }
}

/// Everything a gate found in a batch.
public struct ValidationReport: Hashable, Sendable, Codable {
    public var dataset: String
    public var files: [String]
    public var rows: Int64
    public var validRows: Int64
    public var invalidRows: Int64
    /// Problems that make the whole batch unusable (missing or extra columns, failed table checks).
    public var batchProblems: [String]
    public var checks: [CheckResult]
    public var checkedAt: Timestamp

    public init(
        dataset: String, files: [String], rows: Int64, validRows: Int64, invalidRows: Int64, batchProblems: [String],
        checks: [CheckResult], checkedAt: Timestamp
    ) {
        self.dataset = dataset
        self.files = files
        self.rows = rows
        self.validRows = validRows
        self.invalidRows = invalidRows
        self.batchProblems = batchProblems
        self.checks = checks
        self.checkedAt = checkedAt
    }

    /// Error-severity checks that failed.
    public var failedChecks: [CheckResult] { checks.filter { !$0.success && $0.severity == .error } }
    public var warnings: [CheckResult] { checks.filter { !$0.success && $0.severity == .warn } }
    public var passed: Bool { failedChecks.isEmpty && batchProblems.isEmpty }
    public var invalidRatio: Double { rows == 0 ? 0 : Double(invalidRows) / Double(rows) }
}
