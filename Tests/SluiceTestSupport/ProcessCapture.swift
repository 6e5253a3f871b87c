import Foundation

/// Runs a process to its end with its standard input from a file and its output into files, never pipes.
/// Foundation's `Process` hands a child every descriptor not marked close-on-exec, so a long-lived process that
/// another test starts at the same moment (a browser, a service) can keep a copy of a pipe's write end: a read
/// to the end of that pipe would then wait for as long as that process lives. A file has no such end to wait for.
public enum ProcessCapture {
    public struct Captured: Sendable {
        public var status: Int32
        public var stdout: Data
        public var stderr: Data
    }

    /// Runs `process` (not started yet) with `input` on standard input; waits for it to exit.
    public static func run(_ process: Process, input: Data = Data()) throws -> Captured {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent(
            "sluice-capture-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let inURL = folder.appendingPathComponent("in")
        let outURL = folder.appendingPathComponent("out")
        let errURL = folder.appendingPathComponent("err")
        try input.write(to: inURL)
        for url in [outURL, errURL] { _ = FileManager.default.createFile(atPath: url.path, contents: nil) }
        let inHandle = try FileHandle(forReadingFrom: inURL)
        let outHandle = try FileHandle(forWritingTo: outURL)
        let errHandle = try FileHandle(forWritingTo: errURL)
        defer { for handle in [inHandle, outHandle, errHandle] { try? handle.close() } }
        process.standardInput = inHandle
        process.standardOutput = outHandle
        process.standardError = errHandle
        try process.run()
        process.waitUntilExit()
        return Captured(
            status: process.terminationStatus, stdout: try Data(contentsOf: outURL),
            stderr: try Data(contentsOf: errURL))
    }
}
