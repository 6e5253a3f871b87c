import Foundation
import SluiceCore
import SluiceQuality

/// A JSON Lines input as the table steps read: CSV with one column per key, read as the gate reads it
/// (strings as they are, numbers and booleans as their JSON text, null or a missing key empty, nested values
/// as compact JSON). The columns are the contract's, in its order, when it declares them; otherwise every key
/// in the order first seen.
enum JSONLinesTable {
    /// Writes `source` (JSON Lines) to `target` as CSV; returns the number of rows.
    @discardableResult
    static func convert(_ source: URL, to target: URL, declared: [String]) throws -> Int {
        let columns = declared.isEmpty ? try keys(of: source) : declared
        let writer = try CSVFileWriter(creating: target)
        try writer.row(columns.map { Array($0.utf8) })
        var rows = 0
        try read(source) { reader in
            try writer.row(columns.map { JSONLinesReader.text(of: reader.object[$0]) ?? [] })
            rows += 1
        }
        try writer.flush()
        return rows
    }

    private static func keys(of source: URL) throws -> [String] {
        var seen = Set<String>()
        var keys: [String] = []
        try read(source) { reader in
            for key in reader.object.keys.sorted() where seen.insert(key).inserted { keys.append(key) }
        }
        return keys
    }

    private static func read(_ source: URL, _ body: (JSONLinesReader) throws -> Void) throws {
        let reader = JSONLinesReader(source: try FileByteSource(url: source))
        while try reader.next() {
            if let problem = reader.problem {
                throw InternalError(
                    "stored JSON Lines line \(reader.recordLine) cannot be read: \(problem.message); run sluice verify")
            }
            try body(reader)
        }
    }
}
