/// A stable, machine-readable name for what went wrong, shared by the command line (its exit code, the ECS
/// `error.code` field) and the HTTP API (its status and problem body). New codes may be added; a code's name,
/// exit status and HTTP status never change.
public enum ErrorCode: String, Sendable, Codable, CaseIterable {
    /// A request that cannot be carried out as asked: a bad argument or option.
    case usage
    /// A name or id that does not exist (a dataset, environment, run, token, quarantine batch…).
    case notFound = "not_found"
    /// The project's files are invalid.
    case invalidProject = "invalid_project"
    /// No valid credentials.
    case unauthenticated
    /// The acting principal is not allowed to do this.
    case accessDenied = "access_denied"
    /// A concurrent change won; nothing of the request landed and retrying is safe.
    case conflict
    /// A check or verification ran and did not pass.
    case failed
    /// Incoming data failed its quality gate; nothing landed (the batch or its bad rows are in quarantine).
    case gateFailed = "gate_failed"
    /// A pipeline run failed; its environment is unchanged.
    case runFailed = "run_failed"
    /// A pipeline run was cancelled; its environment is unchanged.
    case runCancelled = "run_cancelled"
    /// The disk holding the store is full; nothing changed.
    case storageFull = "storage_full"
    /// A stored record no longer matches its hash or the audit chain.
    case tampered
    /// A bug or an environment problem inside Sluice.
    case `internal`
    /// The service (`--server`, `SLUICE_SERVER`) does not answer, or answers with something that is not Sluice.
    case unavailable
    /// A request body, upload or value larger than the service accepts; nothing was kept.
    case tooLarge = "too_large"
    /// Too many requests, failed sign-ins or concurrent runs from one caller; retrying later is safe.
    case rateLimited = "rate_limited"

    /// The command line's exit status for it.
    public var exitStatus: ExitStatus {
        switch self {
        case .usage, .notFound, .invalidProject, .tooLarge: return .usage
        case .unauthenticated, .accessDenied: return .denied
        case .conflict: return .conflict
        case .failed, .gateFailed, .runFailed, .runCancelled, .storageFull, .tampered: return .failed
        case .internal: return .internal
        case .unavailable, .rateLimited: return .unavailable
        }
    }

    /// The HTTP status the API answers with.
    public var httpStatus: Int {
        switch self {
        case .usage: return 400
        case .notFound: return 404
        case .invalidProject, .failed, .gateFailed, .runFailed: return 422
        case .unauthenticated: return 401
        case .accessDenied: return 403
        case .conflict, .runCancelled: return 409
        case .storageFull: return 507
        case .tampered, .internal: return 500
        case .unavailable: return 503
        case .tooLarge: return 413
        case .rateLimited: return 429
        }
    }

    /// The code an error of this exit status has when its type names none more precise.
    public init(_ status: ExitStatus) {
        switch status {
        case .ok, .failed: self = .failed
        case .usage: self = .usage
        case .denied: self = .accessDenied
        case .conflict: self = .conflict
        case .internal: self = .internal
        case .unavailable: self = .unavailable
        }
    }
}
