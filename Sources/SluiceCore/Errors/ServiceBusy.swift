/// The service will not take this work now: it is draining for shutdown (503), a caller is over a limit
/// (429), or a body is over the size it accepts (413). `retryAfter` says when trying again makes sense.
public struct ServiceBusy: SluiceError {
    public var message: String
    public var code: ErrorCode
    /// Seconds after which a retry may succeed, for `Retry-After`; nil when waiting will not help.
    public var retryAfter: Int?

    public static func draining(_ what: String) -> ServiceBusy {
        ServiceBusy(
            message:
                "the service is shutting down and takes no new work (\(what)); send it to the service that replaces it",
            code: .unavailable, retryAfter: 5)
    }

    public static func tooLarge(_ what: String, limit: Int64) -> ServiceBusy {
        ServiceBusy(message: "\(what) is larger than the \(limit) bytes this service accepts", code: .tooLarge)
    }

    public static func rateLimited(_ message: String, retryAfter: Int) -> ServiceBusy {
        ServiceBusy(message: message, code: .rateLimited, retryAfter: retryAfter)
    }

    public init(message: String, code: ErrorCode, retryAfter: Int? = nil) {
        self.message = message
        self.code = code
        self.retryAfter = retryAfter
    }

    public var status: ExitStatus { code.exitStatus }
    public var description: String { message }
}
