/// A request that cannot be carried out as asked: an unknown name, a bad argument, a missing store.
public struct UsageError: SluiceError {
    public var message: String
    public var hint: String?
    /// `usage`, or `not_found` for a name or id that does not exist (a dataset, environment, pipeline, step,
    /// run, source, token, principal or quarantine batch): exit 2 either way; HTTP 400 or 404.
    public var code: ErrorCode

    public init(_ message: String, hint: String? = nil, code: ErrorCode = .usage) {
        self.message = message
        self.hint = hint
        self.code = code
    }

    /// A name or id that does not exist.
    public static func notFound(_ message: String, hint: String? = nil) -> UsageError {
        UsageError(message, hint: hint, code: .notFound)
    }

    public var status: ExitStatus { .usage }

    public var description: String {
        guard let hint else { return message }
        return "\(message)\nhint: \(hint)"
    }
}

/// A check, gate or verification that ran and did not pass.
public struct FailureError: SluiceError {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var status: ExitStatus { .failed }
    public var description: String { message }
}

/// A concurrent change won a compare-and-swap; nothing of the caller's landed and retrying is safe.
public struct ConflictError: SluiceError {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var status: ExitStatus { .conflict }
    public var description: String { message }
}

/// A failure inside the engine or its storage that the operator cannot fix by changing the request.
public struct InternalError: SluiceError {
    public var message: String

    public init(_ message: String) {
        self.message = message
    }

    public var status: ExitStatus { .internal }
    public var description: String { message }
}
