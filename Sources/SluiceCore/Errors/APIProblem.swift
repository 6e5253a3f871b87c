/// The body of every error the HTTP API answers with, `{"error": {"code", "message", "hint"?, "field"?,
/// "report"?}}`: written by the service, read back by the command line's server mode.
public struct APIProblem: Sendable, Codable, Hashable {
    public struct Detail: Codable, Sendable, Hashable {
        public var code: String
        public var message: String
        public var hint: String?
        /// The request field that was wrong (HTTP 400).
        public var field: String?
        /// A failed quality gate's report, as `--json` prints it.
        public var report: ValidationReport?

        public init(
            code: String, message: String, hint: String? = nil, field: String? = nil, report: ValidationReport? = nil
        ) {
            self.code = code
            self.message = message
            self.hint = hint
            self.field = field
            self.report = report
        }
    }

    public var error: Detail

    public init(error: Detail) { self.error = error }
}
