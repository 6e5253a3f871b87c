import Foundation
import SluiceCore

/// An error the service answered with: its code, message and hint as the service wrote them, so that the
/// command line prints and exits exactly as it would have in local mode.
public struct RemoteError: SluiceError {
    public var code: ErrorCode
    public var message: String
    public var hint: String?
    /// The report of a quality gate that failed.
    public var report: ValidationReport?

    public init(code: ErrorCode, message: String, hint: String? = nil) {
        self.code = code
        self.message = message
        self.hint = hint
    }

    /// The problem body of a failed answer; an answer that is not one is `unavailable`.
    init(status: Int, body: Data, from origin: String) {
        guard let problem = try? JSONDecoder().decode(APIProblem.self, from: body) else {
            self.init(
                code: .unavailable,
                message: "the service at \(origin) answered HTTP \(status) with something that is not Sluice's",
                hint: "check SLUICE_SERVER or --server: it names the sluice serve to talk to")
            return
        }
        // A code this client does not know yet keeps its HTTP meaning as closely as the exit status can.
        let code =
            ErrorCode(rawValue: problem.error.code)
            ?? (status == 404 ? .notFound : status < 500 ? .usage : .internal)
        self.init(code: code, message: problem.error.message, hint: problem.error.hint)
        report = problem.error.report
    }

    public var status: ExitStatus { code.exitStatus }

    public var description: String {
        guard let hint else { return message }
        return "\(message)\nhint: \(hint)"
    }
}
