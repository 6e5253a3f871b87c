import Foundation

/// Timing helpers: best of several runs, and running shell commands as the floor.
enum Measure {
    static func seconds(_ body: () async throws -> Void) async rethrows -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        try await body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }

    /// The fastest of `runs` timings, each after `prepare` (untimed) and with dirty pages flushed first,
    /// so one run's write-back does not land in the next one's time.
    static func best(runs: Int, prepare: () throws -> Void = {}, _ body: () async throws -> Void) async throws -> Double
    {
        var times: [Double] = []
        for _ in 0..<runs {
            try prepare()
            try shell("sync")
            times.append(try await seconds(body))
        }
        return times.min() ?? 0
    }

    @discardableResult
    static func shell(_ command: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", command]
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw BenchError("`\(command)` exited \(process.terminationStatus)")
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// Peak resident memory (MiB) of the largest process `command` starts, from one more run of it under GNU
    /// `time` (its `%M`; a launcher's own memory never counts, unlike `getrusage` after a `vfork`).
    static func peakMiB(_ command: String) throws -> Double {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-bench-peak-\(getpid())")
        defer { try? FileManager.default.removeItem(at: file) }
        try shell("\(try gnuTime()) -f %M -o '\(file.path)' sh -c \(quoted(command)) > /dev/null")
        return try peakMiB(recordedIn: file)
    }

    /// The largest `%M` (KiB) GNU `time` wrote to `file`, in MiB.
    static func peakMiB(recordedIn file: URL) throws -> Double {
        let kib = try String(contentsOf: file, encoding: .utf8).split(separator: "\n").compactMap { Double($0) }.max()
        guard let kib else { throw BenchError("GNU time recorded no peak in \(file.path)") }
        return kib / 1024
    }

    static func gnuTime() throws -> String {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/time") else {
            throw BenchError("peak memory needs GNU time at /usr/bin/time (Debian package time)")
        }
        return "/usr/bin/time"
    }

    /// `text` in single quotes for `sh`.
    static func quoted(_ text: String) -> String { "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'" }

    static func report(_ name: String, sluice: Double, floor: Double, floorName: String, target: Double? = nil) {
        let ratio = sluice / floor
        var line =
            "\(name): sluice \(format(sluice)) s, \(floorName) \(format(floor)) s, ratio \(String(format: "%.2f", ratio))×"
        if let target { line += ratio <= target ? " (target ≤ \(target)×: met)" : " (target ≤ \(target)×: MISSED)" }
        print(line)
    }

    static func format(_ value: Double) -> String { String(format: "%.3f", value) }
}

extension String {
    var trimmed: String { trimmingCharacters(in: .whitespacesAndNewlines) }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
