import Foundation
import SluiceCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The `duckdb` command-line program a DuckDB step runs: `SLUICE_DUCKDB` when set, else `duckdb` on `PATH`;
/// and its version, asked once per program file.
struct DuckDBProgram: Sendable {
    let path: String
    /// `v1.5.6 (Variegata) 069cc9f9b5`, as the program prints it.
    let version: String

    /// What the lineage records: `duckdb v1.5.6 (Variegata) 069cc9f9b5`.
    var engine: String { "duckdb \(version)" }

    /// The program, or an error naming how to provide one.
    static func locate(environment: [String: String]) throws -> DuckDBProgram {
        let path: String
        if let configured = environment["SLUICE_DUCKDB"], !configured.isEmpty {
            guard configured.hasPrefix("/"), access(configured, X_OK) == 0 else {
                throw DuckDBMissing(
                    "SLUICE_DUCKDB is \(NameRules.quoted(configured)), which is not an executable file given by its absolute path"
                )
            }
            path = configured
        } else {
            let candidates = (environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin").split(separator: ":").filter {
                $0.hasPrefix("/")
            }.map { "\($0)/duckdb" }
            guard let found = candidates.first(where: { access($0, X_OK) == 0 }) else {
                throw DuckDBMissing(
                    "engine duckdb needs the duckdb program, which is not on PATH; install it (pip install duckdb-cli, or a release from duckdb.org) or set SLUICE_DUCKDB to its path"
                )
            }
            path = found
        }
        return DuckDBProgram(path: path, version: try versions.version(of: path))
    }

    private static let versions = VersionCache()

    /// Versions by program path and modification time: a program replaced in place is asked again.
    private final class VersionCache: @unchecked Sendable {
        private let lock = NSLock()
        private var known: [String: String] = [:]

        func version(of path: String) throws -> String {
            var info = stat()
            guard stat(path, &info) == 0 else { throw DuckDBMissing("cannot read \(path)") }
            let key = "\(path)@\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
            if let found = lock.withLock({ known[key] }) { return found }
            let found = try ask(path)
            lock.withLock { known[key] = found }
            return found
        }

        private func ask(_ path: String) throws -> String {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: path)
            process.arguments = ["-version"]
            process.environment = ["PATH": "/usr/bin:/bin", "HOME": NSTemporaryDirectory()]
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = FileHandle.nullDevice
            do {
                try process.run()
            } catch {
                throw DuckDBMissing("cannot run \(path) -version: \(error.localizedDescription)")
            }
            let output = pipe.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            let text = String(decoding: output.prefix(200), as: UTF8.self).trimmingCharacters(
                in: .whitespacesAndNewlines)
            guard process.terminationStatus == 0, text.hasPrefix("v") else {
                throw DuckDBMissing(
                    "\(path) -version did not print a DuckDB version (exit \(process.terminationStatus))")
            }
            return text
        }
    }
}

/// The DuckDB program cannot be found or run.
struct DuckDBMissing: Error {
    let message: String
    init(_ message: String) { self.message = message }
}
