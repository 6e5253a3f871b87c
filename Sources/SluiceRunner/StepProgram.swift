import Foundation
import SluiceCore

/// Finds what a command step runs, as the user it runs as: a bare name on the step's `PATH` where that user
/// may run it (not where the service may, which as root may be a folder of root's home), and the project's
/// files the step names, copied into the step's own directory, so that a project folder only the service can
/// read still runs. When the step user cannot run the program it says so: the path, the user and the ways out.
struct StepProgram {
    let job: StepJob
    let user: StepUser?
    let path: String

    /// The program to start and the arguments to pass it; throws `SpawnError` naming why it cannot run.
    func resolve(_ arguments: [String]) throws -> (program: String, arguments: [String]) {
        var copied: [String: String] = [:]
        let program = try locate(arguments[0], copied: &copied)
        let rest = try arguments.dropFirst().map { try file($0, copied: &copied) }
        if let user {
            try user.own(copied.values.map { URL(fileURLWithPath: $0) })
            guard user.may(.execute, program) else { throw Self.refusal(program, user: user) }
        }
        return (program, [arguments[0]] + rest)
    }

    private func locate(_ program: String, copied: inout [String: String]) throws -> String {
        guard program.contains("/") else { return onPath(program) }
        if program.hasPrefix("/") { return program }
        return try copy(program, copied: &copied) ?? job.projectRoot.appendingPathComponent(program).path
    }

    /// The first `PATH` entry holding `name` that the step user (or else this process) may run.
    private func onPath(_ name: String) -> String {
        var found: String?
        for folder in path.split(separator: ":") where folder.hasPrefix("/") {
            let candidate = "\(folder)/\(name)"
            guard access(candidate, X_OK) == 0 else { continue }
            if user.map({ $0.may(.execute, candidate) }) ?? true { return candidate }
            found = found ?? candidate
        }
        return found ?? name
    }

    /// An argument naming a committed file of the project becomes its copy in the step's directory (a
    /// folder: its absolute path); a path only the work tree has, its absolute path; anything else, itself.
    private func file(_ argument: String, copied: inout [String: String]) throws -> String {
        if let resolved = ProjectPath.resolve(argument, root: job.projectRoot, files: job.files) {
            if !resolved.isDirectory, user != nil, let copy = try copy(argument, copied: &copied) { return copy }
            return resolved.url.path
        }
        return job.workTree.flatMap { ProjectPath.resolve(argument, root: $0, files: job.files)?.url.path } ?? argument
    }

    /// Copies a file of the project into the step's directory when it runs as another user; its path there.
    private func copy(_ relative: String, copied: inout [String: String]) throws -> String? {
        guard user != nil, let source = ProjectPath.resolve(relative, root: job.projectRoot, files: job.files),
            !source.isDirectory
        else { return nil }
        if let done = copied[relative] { return done }
        let target = job.directory.appendingPathComponent("project").appendingPathComponent(relative)
        do {
            try FileManager.default.createDirectory(
                at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
            try? FileManager.default.removeItem(at: target)
            try FileManager.default.copyItem(at: source.url, to: target)
            chmod(target.path, access(source.url.path, X_OK) == 0 ? 0o500 : 0o400)
        } catch {
            throw SpawnError(message: "cannot copy \(relative) into the step's folder: \(error.localizedDescription)")
        }
        var folder = target.deletingLastPathComponent()
        while folder.path.count > job.directory.path.count {
            copied[folder.path] = folder.path
            folder.deleteLastPathComponent()
        }
        copied[relative] = target.path
        return target.path
    }

    static func refusal(_ program: String, user: StepUser) -> SpawnError {
        SpawnError(
            message:
                "the step user \(user.name) (uid \(user.uid)) may not run \(program): it or a folder above it is closed to that user; "
                + "install the program system-wide (e.g. under /usr/local/bin) or set SLUICE_STEP_USER to a user who may run it"
        )
    }
}

extension StepUser {
    enum Access: mode_t {
        case read = 4
        case execute = 1
    }

    /// Whether this user may `access` the file at `path` and pass through every folder above it, by the
    /// permission bits (its own uid and gid; root may do anything).
    func may(_ access: Access, _ path: String) -> Bool {
        guard uid != 0 else { return true }
        var folder = (path as NSString).deletingLastPathComponent
        while folder.count > 1 {
            guard permits(folder, .execute) else { return false }
            folder = (folder as NSString).deletingLastPathComponent
        }
        return permits(path, access)
    }

    private func permits(_ path: String, _ access: Access) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0 else { return false }
        let bits = access.rawValue
        if info.st_uid == uid { return (info.st_mode >> 6) & bits == bits }
        if info.st_gid == gid { return (info.st_mode >> 3) & bits == bits }
        return info.st_mode & bits == bits
    }
}
