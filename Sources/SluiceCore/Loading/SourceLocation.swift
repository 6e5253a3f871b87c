/// Where something was written in a project file, for `file:line:column` messages.
public struct SourceLocation: Hashable, Sendable, Codable, CustomStringConvertible {
    /// Path relative to the project root, e.g. `sluice.yaml` or `datasets/orders.yaml`.
    public var file: String
    public var line: Int
    public var column: Int

    public init(file: String, line: Int, column: Int) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String { "\(file):\(line):\(column)" }
}

/// One problem found while loading or validating a project.
public struct Diagnostic: Hashable, Sendable, Codable, CustomStringConvertible {
    public enum Severity: String, Sendable, Codable {
        case error
        case warning
    }

    public var location: SourceLocation
    public var severity: Severity
    public var message: String

    public init(_ location: SourceLocation, _ message: String, severity: Severity = .error) {
        self.location = location
        self.message = message
        self.severity = severity
    }

    public var description: String {
        "\(location): \(severity == .warning ? "warning: " : "")\(message)"
    }
}

/// The project could not be loaded or is invalid; lists every problem at once.
public struct ProjectError: SluiceError {
    public var diagnostics: [Diagnostic]

    public init(_ diagnostics: [Diagnostic]) {
        self.diagnostics = diagnostics
    }

    public var status: ExitStatus { .usage }
    public var code: ErrorCode { .invalidProject }

    public var description: String {
        let errors = diagnostics.filter { $0.severity == .error }
        let lines = diagnostics.sorted(by: Diagnostic.ordered).map(\.description)
        return (lines + ["\(errors.count) error\(errors.count == 1 ? "" : "s") in the project"])
            .joined(separator: "\n")
    }
}

extension Diagnostic {
    /// Orders diagnostics by file, line and column so reports read top to bottom.
    public static func ordered(_ lhs: Diagnostic, _ rhs: Diagnostic) -> Bool {
        (lhs.location.file, lhs.location.line, lhs.location.column, lhs.message)
            < (rhs.location.file, rhs.location.line, rhs.location.column, rhs.message)
    }
}
