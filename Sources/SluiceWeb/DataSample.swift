import Foundation
import SluiceCore
import SluiceQuality

/// The first rows of a version as the viewer may see them (PII and restricted values masked by the engine,
/// as `sluice cat` masks them), with per-column statistics over those rows.
struct DataSample: Sendable {
    struct Column: Sendable {
        var name: String
        var filled: String
        var empty: String
        var distinct: String
        var smallest: String
        var largest: String
    }

    struct Row: Sendable {
        var cells: [String]
    }

    var header: [String]
    var rows: [Row]
    var columns: [Column]
    /// How many records the table shows, how many the statistics cover, and whether the version holds more.
    var shown: String
    var scanned: String
    var partial: Bool

    static let byteLimit = 1 << 20
    static let shownRows = 20

    private struct Enough: Error {}

    /// Reads up to `byteLimit` bytes of the version (masked) through the engine, then parses them with the
    /// gate's own CSV reader.
    static func read(_ dataset: String, in environment: String, viewer: Viewer) async throws -> DataSample? {
        var bytes = Data()
        var cut = false
        do {
            try await viewer.workspace.stream(dataset, in: environment) { piece in
                bytes.append(piece.prefix(byteLimit - bytes.count))
                if bytes.count >= byteLimit {
                    cut = true
                    throw Enough()
                }
            }
        } catch is Enough {}
        return try parse(bytes, cut: cut)
    }

    /// The sample of `bytes` (a version's or a batch's first bytes; `cut` when there were more).
    static func parse(_ bytes: Data, cut: Bool) throws -> DataSample? {
        var bytes = bytes
        // A cut read ends inside a record: keep whole lines only (a record still cut inside quotes is malformed,
        // and left out below).
        if cut, let newline = bytes.lastIndex(of: UInt8(ascii: "\n")) { bytes = bytes.prefix(upTo: newline + 1) }
        let reader = CSVReader(source: DataByteSource(bytes))
        guard try reader.next() else { return nil }
        let header = (0..<reader.fieldCount).map(reader.field)
        var records: [[String]] = []
        while try reader.next() {
            if reader.problem != nil { continue }
            records.append((0..<reader.fieldCount).map(reader.field))
        }
        return DataSample(
            header: header, rows: records.prefix(shownRows).map { Row(cells: $0) },
            columns: header.indices.map { column(header[$0], index: $0, records: records) },
            shown: Format.count(min(records.count, shownRows)), scanned: Format.count(records.count), partial: cut)
    }

    static func column(_ name: String, index: Int, records: [[String]]) -> Column {
        let values = records.map { index < $0.count ? $0[index] : "" }
        let filled = values.filter { !$0.isEmpty }
        let numbers = filled.compactMap(Double.init)
        let numeric = !filled.isEmpty && numbers.count == filled.count
        let smallest = numeric ? numbers.min().map(Self.number) : filled.min()
        let largest = numeric ? numbers.max().map(Self.number) : filled.max()
        return Column(
            name: name, filled: Format.count(filled.count), empty: Format.count(values.count - filled.count),
            distinct: Format.count(Set(filled).count), smallest: GraphPicture.clip(smallest ?? "—", 32),
            largest: GraphPicture.clip(largest ?? "—", 32))
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}
