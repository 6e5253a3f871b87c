import ArgumentParser
import Foundation
import Logging
import SluiceClient
import SluiceCore
import SluiceQuality
import SluiceStore

/// `--project DIR`, shared by every command that works on a project.
struct ProjectOptions: ParsableArguments {
    @Option(name: .long, help: "The project folder (default: the nearest folder upwards holding sluice.yaml).")
    var project: String?

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The sluice serve to ask instead of opening the store (default: SLUICE_SERVER).",
            discussion: "With it, every command sends its request with SLUICE_TOKEN and needs no access to the store.",
            valueName: "URL"))
    var server: String?

    /// `--server URL` written before the subcommand (`sluice --server URL status`), taken out of the arguments
    /// before parsing.
    nonisolated(unsafe) static var leadingServer: String?

    /// Takes `--server URL` or `--server=URL` when it comes before the subcommand.
    static func takeServer(from arguments: inout [String]) -> String? {
        guard let first = arguments.first, first.hasPrefix("--server") else { return nil }
        if first == "--server", arguments.count > 1 {
            defer { arguments.removeFirst(2) }
            return arguments[1]
        }
        guard first.hasPrefix("--server=") else { return nil }
        arguments.removeFirst()
        return String(first.dropFirst("--server=".count))
    }

    /// The service of server mode: `--server`, else `SLUICE_SERVER`; nil in local mode.
    func serverURL() throws -> URL? {
        let text = server ?? Self.leadingServer ?? ProcessInfo.processInfo.environment["SLUICE_SERVER"]
        guard let text, !text.isEmpty else { return nil }
        guard let url = URL(string: text), ["http", "https"].contains(url.scheme?.lowercased() ?? ""),
            url.host?.isEmpty == false
        else {
            throw UsageError(
                "the service address \(NameRules.quoted(text)) is not an http or https URL",
                hint: "e.g. --server https://sluice.example.com or SLUICE_SERVER=http://127.0.0.1:8080")
        }
        return url
    }

    /// What the command asks: the service in server mode, else the store opened here.
    func engine() async throws -> any Engine {
        if let url = try serverURL() { return RemoteEngine(server: url, token: CallerSecrets.token) }
        return try await workspace()
    }

    /// The project root: `--project`, else the nearest ancestor of the working directory with `sluice.yaml`.
    func root() -> URL {
        if let project { return URL(fileURLWithPath: project).standardizedFileURL }
        var folder = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
        while true {
            if FileManager.default.fileExists(atPath: folder.appendingPathComponent(ProjectLoader.projectFileName).path)
            {
                return folder
            }
            let parent = folder.deletingLastPathComponent()
            if parent.path == folder.path { return URL(fileURLWithPath: FileManager.default.currentDirectoryPath) }
            folder = parent
        }
    }

    /// Loads and validates the project (warnings go to standard error), opens its store and resolves who is acting.
    func workspace() async throws -> Workspace {
        if try serverURL() != nil {
            throw UsageError(
                "this command works on the store's files and has no server mode",
                hint: "run it on the service's host as its user, or without --server and SLUICE_SERVER")
        }
        let (project, warnings) = try ProjectLoader(files: LocalFileSource()).loadValidated(root: root())
        if ProcessInfo.processInfo.environment["SLUICE_QUIET_WARNINGS"] == nil && !warnings.isEmpty {
            Terminal.warn(warnings.map(\.description).joined(separator: "\n"))
        }
        return try await Self.workspace(for: project, token: CallerSecrets.token)
    }

    /// Opens the store, takes the policy in force from it (applying the committed one on a store that never
    /// had one), and resolves who is acting; a refused token is audited before the command fails.
    static func workspace(for project: Project, token: String?) async throws -> Workspace {
        let store = try LocalStore(directory: project.storeDirectory)
        let git = GitWorkTree()
        let applied = try await PolicyLedger(metadata: store.metadata).inForce(project: project, git: git, now: .now())
        if AppliedPolicy(project: project) != applied {
            Terminal.warn(
                "the access policy in sluice.yaml differs from the one applied to this store, and has no effect until an admin applies it (sluice plan shows the difference)"
            )
        }
        let identity = try await IdentityResolver(policy: applied, metadata: store.metadata).resolveAudited(
            token: token, osUser: OperatingSystemUser.name, at: .now())
        return Workspace(
            project: project, objects: store.objects, metadata: store.metadata, identity: identity,
            gate: ContractGate(progress: ProgressBar.forTerminal(label: "checking")), git: git,
            files: LocalFileSource(), appliedPolicy: applied,
            logger: Logger(label: "sluice"), checkpoint: TestCheckpoint.fromEnvironment())
    }
}

/// The `--json` flag of read commands.
struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: "Print JSON instead of a table.")
    var json = false
}

enum OperatingSystemUser {
    /// The effective user's login name from the password database (not from environment variables).
    static var name: String? {
        guard let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name else { return nil }
        return String(cString: name)
    }
}

/// Fault injection for tests of races and crashes: with `SLUICE_TEST_PAUSE_AT=POINT` the process announces
/// `paused at POINT` on standard error at that point and waits until the file `SLUICE_TEST_RESUME_FILE`
/// exists (at most 60 s). Unset, it does nothing.
enum TestCheckpoint {
    static func fromEnvironment() -> @Sendable (String) async -> Void {
        let environment = ProcessInfo.processInfo.environment
        guard let point = environment["SLUICE_TEST_PAUSE_AT"] else { return { _ in } }
        let resume = environment["SLUICE_TEST_RESUME_FILE"]
        return { reached in
            guard reached == point else { return }
            FileHandle.standardError.write(Data("sluice: paused at \(point) (pid \(getpid()))\n".utf8))
            let deadline = Date().addingTimeInterval(60)
            while Date() < deadline {
                if let resume, FileManager.default.fileExists(atPath: resume) { return }
                try? await Task.sleep(nanoseconds: 10_000_000)
            }
        }
    }
}
