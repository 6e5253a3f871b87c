/// Gathers every problem found while reading a project so they can be reported at once.
final class DiagnosticCollector {
    private(set) var diagnostics: [Diagnostic] = []

    func error(_ location: SourceLocation, _ message: String) {
        diagnostics.append(Diagnostic(location, message))
    }

    func warning(_ location: SourceLocation, _ message: String) {
        diagnostics.append(Diagnostic(location, message, severity: .warning))
    }

    var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
}
