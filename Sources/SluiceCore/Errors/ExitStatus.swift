/// The process exit codes of the `sluice` command line, shared by every error so that scripts can react to them.
public enum ExitStatus: Int32, Sendable, Codable {
    /// Everything worked.
    case ok = 0
    /// A gate, check, run or verification failed.
    case failed = 1
    /// A usage error or an invalid project.
    case usage = 2
    /// The acting principal is not allowed to do this.
    case denied = 3
    /// A concurrent change won; retrying is safe.
    case conflict = 4
    /// The service does not answer (server mode); nothing was asked of it, or its answer was lost.
    case unavailable = 69
    /// A bug or an environment problem inside Sluice.
    case `internal` = 70
}

/// An error written for the operator: its `description` says what failed, where, and what to do next.
public protocol SluiceError: Error, CustomStringConvertible, Sendable {
    /// The exit status the command line reports for this error.
    var status: ExitStatus { get }
    /// More details for the failure's audit event (ids of what the failure left, never data values).
    var auditDetails: [String: String] { get }
    /// The stable machine code; its exit and HTTP statuses follow from it.
    var code: ErrorCode { get }
}

extension SluiceError {
    /// What the audit log records of the error: one line, no data values.
    public var auditReason: String { String(description.split(separator: "\n").first ?? "") }

    public var auditDetails: [String: String] { [:] }

    public var code: ErrorCode { ErrorCode(status) }
}
