import Foundation

/// A tool from the machine's packages that a test checks Sluice's output with (promtool, Prometheus, Alertmanager).
public struct ExternalTool: Sendable {
    public let path: String

    /// The first of `candidates` that is an executable file; nil where the tool is not installed.
    public init?(_ candidates: [String]) {
        guard let found = candidates.first(where: { FileManager.default.isExecutableFile(atPath: $0) }) else {
            return nil
        }
        path = found
    }

    public static let promtool = ExternalTool(["/usr/bin/promtool", "/usr/local/bin/promtool"])
    public static let prometheus = ExternalTool(["/usr/bin/prometheus", "/usr/local/bin/prometheus"])
    /// A program of the virtual environment the test command makes (`.build/test-venv`): the Python validators.
    public static func venv(_ program: String) -> ExternalTool? {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        return ExternalTool([root.appendingPathComponent(".build/test-venv/bin/\(program)").path])
    }

    public static let alertmanager = ExternalTool([
        "/usr/bin/prometheus-alertmanager", "/usr/local/bin/alertmanager", "/usr/bin/alertmanager",
    ])

    /// Runs the tool to its end with `input` on standard input; its exit status and everything it printed.
    public func run(
        _ arguments: [String], input: Data = Data(), environment: [String: String] = [:], in directory: URL? = nil
    ) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = directory }
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        let captured = try ProcessCapture.run(process, input: input)
        return (captured.status, String(decoding: captured.stdout + captured.stderr, as: UTF8.self))
    }
}
