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

    static func report(_ name: String, sluice: Double, floor: Double, floorName: String, target: Double? = nil) {
        let ratio = sluice / floor
        var line =
            "\(name): sluice \(format(sluice)) s, \(floorName) \(format(floor)) s, ratio \(String(format: "%.2f", ratio))×"
        if let target { line += ratio <= target ? " (target ≤ \(target)×: met)" : " (target ≤ \(target)×: MISSED)" }
        print(line)
    }

    static func format(_ value: Double) -> String { String(format: "%.3f", value) }
}

struct BenchError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
