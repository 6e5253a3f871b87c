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
            3 access denied · 4 conflict (a concurrent change won; retry) · 69 the service (--server) does not answer · \
            70 internal error.
            The acting principal comes from SLUICE_TOKEN, else the OS user name when it is a declared principal.
            With --server URL (or SLUICE_SERVER) commands ask that sluice serve, with SLUICE_TOKEN, instead of \
            opening the store; output and exit codes are the same.
            Logs go to standard error: --log-format text (default, warnings and worse) or --log-format ecs \
            (Elastic Common Schema JSON lines, info and worse); SLUICE_LOG_LEVEL sets the level.
            """,
        version: EngineVersion.current,
        subcommands: [
            InitCommand.self, DemoCommand.self, ValidateCommand.self, StatusCommand.self, IngestCommand.self,
            EnvCommand.self, DatasetsCommand.self, CatCommand.self, LogCommand.self, PromoteCommand.self,
            CheckCommand.self, ChecksCommand.self, QuarantineCommand.self, TokenCommand.self, AuditCommand.self,
            VerifyCommand.self, RunCommand.self, RunsCommand.self, LogsCommand.self, LineageCommand.self,
            ReproduceCommand.self, TestCommand.self, GCCommand.self, PlanCommand.self, ApplyCommand.self,
            ServeCommand.self, WorkerCommand.self, ExportCommand.self, DiagramCommand.self,
        ]
    )

    /// Bootstraps logging once, runs the command, and turns Sluice errors into their exit codes.
    static func main() async {
        CallerSecrets.secure()
        var arguments = Array(CommandLine.arguments.dropFirst())
        let format = LogFormat.take(from: &arguments)
        ProjectOptions.leadingServer = ProjectOptions.takeServer(from: &arguments)
        Terminal.logsAreECS = format == .ecs
        let environment = ProcessInfo.processInfo.environment
        let level =
            environment["SLUICE_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? (format == .ecs ? .info : .warning)
        LoggingSystem.bootstrap(
            { label, provider in
                switch format {
                case .ecs:
                    var handler = ECSLogHandler(label: label, metadataProvider: provider)
                    handler.logLevel = level
                    return handler
                case .text:
                    var handler = StreamLogHandler(label: label, stream: TerminalErrorStream())
                    handler.logLevel = level
                    return handler
                }
            }, metadataProvider: LogTrace.metadataProvider)
        var command: any ParsableCommand
        do {
            command = try parseAsRoot(arguments)
        } catch {
            exitForParsing(error)
        }
        do {
            if var asyncCommand = command as? AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as SluiceError {
            Terminal.error("\(error)", code: error.code)
            Foundation.exit(error.status.rawValue)
        } catch let error as ExitCode {
            exit(withError: error)
        } catch {
            // `help` and `--help` reach here from the help command's run.
            guard exitCode(for: error) == .failure else { exitForParsing(error) }
            Terminal.error("internal error: \(error)")
            Foundation.exit(ExitStatus.internal.rawValue)
        }
    }

    /// Help and version print to standard output and exit 0; a usage error prints ArgumentParser's message
    /// and usage to standard error and exits 2.
    static func exitForParsing(_ error: any Error) -> Never {
        let message = fullMessage(for: error)
        if exitCode(for: error) == .success {
            if !message.isEmpty { print(message) }
            Foundation.exit(0)
        }
        Terminal.warn(message)  // already reads "Error: …"
        Foundation.exit(ExitStatus.usage.rawValue)
    }
}

/// `--log-format text|ecs`, accepted before or after the subcommand; taken out of the arguments before
/// parsing because logging starts before any command runs.
enum LogFormat: String {
    case text, ecs

    static func take(from arguments: inout [String]) -> LogFormat {
        do {
            return try parse(&arguments)
        } catch {
            Terminal.error("\(error)")
            Foundation.exit(ExitStatus.usage.rawValue)
        }
    }

    private static func parse(_ arguments: inout [String]) throws -> LogFormat {
        func format(_ text: String) throws -> LogFormat {
            guard let format = LogFormat(rawValue: text) else {
                throw UsageError(
                    "unknown log format \(NameRules.quoted(text))", hint: "--log-format text or --log-format ecs")
            }
            return format
        }
        var chosen = try format(ProcessInfo.processInfo.environment["SLUICE_LOG_FORMAT"] ?? "text")
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            if argument == "--" { break }
            if argument == "--log-format", index + 1 < arguments.count {
                chosen = try format(arguments[index + 1])
                arguments.removeSubrange(index...(index + 1))
            } else if argument.hasPrefix("--log-format=") {
                chosen = try format(String(argument.dropFirst("--log-format=".count)))
                arguments.remove(at: index)
            } else {
                index += 1
            }
        }
        return chosen
    }
}
