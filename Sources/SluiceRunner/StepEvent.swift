import SluiceCore

/// What a watcher of a run sees as it happens: a step starting, retrying after a failed attempt, finishing.
public struct StepEvent: Sendable {
    public enum Kind: Sendable {
        case started
        case retrying(failedAttempt: Int, of: Int, reason: String)
        case finished(StepStatus, message: String?, seconds: Double?)
    }

    public var step: String
    public var kind: Kind

    public init(step: String, kind: Kind) {
        self.step = step
        self.kind = kind
    }

    /// One line for a person or a log file, e.g. `clean_orders succeeded in 0.42s`.
    public var line: String {
        switch kind {
        case .started: return "\(step) started"
        case .retrying(let attempt, let total, let reason):
            return "\(step) attempt \(attempt) of \(total) failed (\(reason)); retrying"
        case .finished(let status, let message, let seconds):
            let time = seconds.map { String(format: " in %.2fs", $0) } ?? ""
            return "\(step) \(status.rawValue)\(time)" + (message.map { ": \($0)" } ?? "")
        }
    }
}
