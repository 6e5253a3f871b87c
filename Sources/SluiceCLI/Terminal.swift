import Foundation
import Logging
import SluiceCore

/// Writing to the terminal: JSON for machines, aligned tables for people, errors on standard error. In
/// `--log-format ecs` mode standard error is the log stream, so errors and warnings go there as ECS lines.
enum Terminal {
    /// Set once by `main` before any command runs.
    nonisolated(unsafe) static var logsAreECS = false

    static func error(_ message: String, code: ErrorCode? = nil) {
        guard !logsAreECS else {
            var metadata: Logger.Metadata = ["event.kind": "event"]
            if let code { metadata["error.code"] = "\(code.rawValue)" }
            return Logger(label: "sluice").error("\(message)", metadata: metadata)
        }
        LiveRunView.writeError("error: \(message)\n")
    }

    /// A page size as asked for with `--limit`: 1 to 1000, or a usage error (exit 2) saying so.
    static func pageLimit(_ limit: Int) throws -> Int {
        guard (1...PageRequest.maximumLimit).contains(limit) else {
            throw UsageError("--limit must be from 1 to \(PageRequest.maximumLimit), not \(limit)")
        }
        return limit
    }

    static func warn(_ message: String) {
        guard !logsAreECS else { return Logger(label: "sluice").warning("\(message)") }
        LiveRunView.writeError("\(message)\n")
    }

    /// One line on standard output, written at once (not held in a buffer while a run goes on).
    static func line(_ text: String) {
        FileHandle.standardOutput.write(Data("\(text)\n".utf8))
    }

    /// The local wall-clock time, `HH:MM:SS` (from the C library: no formatter made per printed line).
    static func clock() -> String {
        var now = time_t(Date().timeIntervalSince1970)
        var parts = tm()
        localtime_r(&now, &parts)
        return String(format: "%02d:%02d:%02d", parts.tm_hour, parts.tm_min, parts.tm_sec)
    }

    static func json<T: Encodable>(_ value: T) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        FileHandle.standardOutput.write(try encoder.encode(value))
        FileHandle.standardOutput.write(Data("\n".utf8))
    }

    /// Prints rows under a header with columns padded to the widest cell.
    static func table(_ header: [String], _ rows: [[String]]) {
        let widths = header.indices.map { column in
            ([header] + rows).map { $0[column].count }.max() ?? 0
        }
        for row in [header] + rows {
            let cells = row.enumerated().map { index, cell in
                index == row.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }
            print(cells.joined(separator: "  "))
        }
    }

    static func bytes(_ count: Int64?) -> String {
        guard let count else { return "-" }
        let units = ["B", "KiB", "MiB", "GiB", "TiB"]
        var value = Double(count)
        var unit = 0
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(count) B" : String(format: "%.1f %@", value, units[unit])
    }

    static func time(_ timestamp: Timestamp?) -> String {
        guard let timestamp else { return "-" }
        return String(timestamp.iso8601.prefix(19)).replacingOccurrences(of: "T", with: " ")
    }
}

/// Text log lines on standard error, written above a live run view when one is shown.
struct TerminalErrorStream: TextOutputStream, Sendable {
    mutating func write(_ string: String) { LiveRunView.writeError(string) }
}
