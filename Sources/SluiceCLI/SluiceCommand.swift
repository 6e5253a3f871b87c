import ArgumentParser
import Foundation
import Logging
import SluiceCore

@main
struct SluiceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sluice",
        abstract: "A DataOps engine: versioned data, quality gates, protected environments and an audit trail.",
        discussion: """
            Exit codes: 0 ok · 1 a gate, check or verification failed · 2 usage error or invalid project · \
            3 access denied · 4 conflict (a concurrent change won; retry) · 70 internal error.
            The acting principal comes from SLUICE_TOKEN, else the OS user name when it is a declared principal.
            """,
        version: EngineVersion.current,
        subcommands: [
            InitCommand.self, DemoCommand.self, ValidateCommand.self, StatusCommand.self, IngestCommand.self,
            EnvCommand.self, DatasetsCommand.self, CatCommand.self, LogCommand.self, PromoteCommand.self,
            CheckCommand.self, ChecksCommand.self, QuarantineCommand.self, TokenCommand.self, AuditCommand.self,
            VerifyCommand.self, RunCommand.self, RunsCommand.self, LogsCommand.self,
        ]
    )

    /// Bootstraps logging once, runs the command, and turns Sluice errors into their exit codes.
    static func main() async {
        let level =
            ProcessInfo.processInfo.environment["SLUICE_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as SluiceError {
            Terminal.error("\(error)")
            Foundation.exit(error.status.rawValue)
        } catch let error as ExitCode {
            exit(withError: error)
        } catch {
            if error is CleanExit || String(describing: type(of: error)).contains("ParserError")
                || error is ValidationError
            {
                exit(withError: error)
            }
            Terminal.error("internal error: \(error)")
            Foundation.exit(ExitStatus.internal.rawValue)
        }
    }
}
