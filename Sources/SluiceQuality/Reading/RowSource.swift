import Foundation
import SluiceCore

/// Rows of CSV or JSON Lines behind one interface: values by column, the raw record, and its problem.
final class RowSource {
    let format: DataFormat
    private let csv: CSVReader?
    private let jsonl: JSONLinesReader?
    private var headerBytes: [UInt8]?
    private var headerNames: [String] = []
    private var scratch: [UInt8] = []

    init(format: DataFormat, source: any ByteSource, delimiter: UInt8, maxRecordBytes: Int) throws {
        self.format = format
        switch format {
        case .csv:
            let reader = CSVReader(source: source, delimiter: delimiter, maxRecordBytes: maxRecordBytes)
            csv = reader
            jsonl = nil
            if try reader.next() {
                headerBytes = Array(reader.rawRecord)
                headerNames = (0..<reader.fieldCount).map { reader.field($0) }
            }
        case .jsonl:
            csv = nil
            jsonl = JSONLinesReader(source: source, maxRecordBytes: maxRecordBytes)
        }
    }

    var header: UnsafeRawBufferPointer? {
        headerBytes.map { bytes in
            bytes.withUnsafeBytes { UnsafeRawBufferPointer(start: $0.baseAddress, count: $0.count) }
        }
    }

    struct Mapping {
        /// For each contract column, its position in the file (CSV) or `nil` when absent; JSON Lines use keys.
        var positions: [Int?]
        var fieldCount: Int
    }

    /// Matches the header to the contract's columns, reporting missing and extra columns.
    func columnMapping(_ columns: [String], file: String, problem: (String) -> Void) throws -> Mapping {
        guard format == .csv else { return Mapping(positions: columns.map { _ in 0 }, fieldCount: 0) }
        guard !columns.isEmpty else { return Mapping(positions: [], fieldCount: headerNames.count) }
        let positions = columns.map { headerNames.firstIndex(of: $0) }
        let missing = zip(columns, positions).filter { $0.1 == nil }.map(\.0)
        let extra = headerNames.filter { !columns.contains($0) }
        if !missing.isEmpty {
            problem("\(file): missing columns \(missing.joined(separator: ", ")) (the header is line 1)")
        }
        if !extra.isEmpty {
            problem(
                "\(file): columns not in the contract: \(extra.map { NameRules.quoted($0) }.joined(separator: ", "))")
        }
        return Mapping(positions: positions, fieldCount: headerNames.count)
    }

    func next() throws -> Bool {
        if let csv { return try csv.next() }
        return try jsonl!.next()
    }

    var line: Int64 { csv?.recordLine ?? jsonl!.recordLine }

    var raw: UnsafeRawBufferPointer { csv?.rawRecord ?? jsonl!.rawRecord }

    func problem(expectedFields: Int) -> RowProblem? {
        if let csv {
            if let problem = csv.problem { return problem }
            if expectedFields > 0 && csv.fieldCount != expectedFields {
                return .wrongFieldCount(expected: expectedFields, found: csv.fieldCount)
            }
            return nil
        }
        return jsonl!.problem
    }

    /// The value's bytes, or `nil` for a null (an empty CSV field, a missing or null JSON value).
    func value(at position: Int?, key: String) -> [UInt8]? {
        if let csv {
            guard let position, position < csv.fieldCount else { return nil }
            let raw = csv.rawField(position)
            if raw.isEmpty { return nil }
            return csv.fieldEscaped[position] ? Array(csv.field(position).utf8) : Array(raw)
        }
        guard let value = jsonl!.object[key], !(value is NSNull) else { return nil }
        switch value {
        case let text as String: return Array(text.utf8)
        case let number as NSNumber:
            // JSON true and false arrive as numbers whose Objective-C type is `c`.
            if String(cString: number.objCType) == "c" { return Array((number.boolValue ? "true" : "false").utf8) }
            return Array(number.stringValue.utf8)
        default:
            let data = (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys])) ?? Data()
            return Array(data)
        }
    }
}
