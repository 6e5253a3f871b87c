import Foundation
import GRDB
import SluiceCore
import SluiceQuality

/// Turns what DuckDB wrote into the step's output: every value spelled as the embedded engine spells it
/// (`SQLStep.outputText`, from the value DuckDB's column type says it is), so a step gives the same bytes on
/// either engine and the stored data reads the same to the gate, to SQL, to a command step and in `cat`.
struct DuckDBResult {
    /// The output's declared columns, by name.
    let contract: Dataset?

    /// Reads `result` (with a header) and `types` (`name,TYPE` per column), writes `target`; returns the rows.
    func write(result: URL, types: URL, to target: URL) throws -> Int {
        let typeNames = try Self.columnTypes(types)
        let reader = CSVReader(source: try FileByteSource(url: result))
        guard try reader.next() else { throw SQLStepError("DuckDB wrote no result header") }
        let names = (0..<reader.fieldCount).map { reader.field($0) }
        guard names.count == typeNames.count else {
            throw SQLStepError("DuckDB's result has \(names.count) columns but it described \(typeNames.count)")
        }
        let columns = names.map { name in contract?.columns.first { $0.name == name } }
        let kinds = zip(typeNames, columns).map { Kind($0, declared: $1) }
        let writer = try CSVFileWriter(creating: target)
        try writer.row(names.map { Array($0.utf8) })
        var rows = 0
        var scratch: [UInt8] = []
        while try reader.next() {
            if let problem = reader.problem {
                throw SQLStepError("DuckDB's result line \(reader.recordLine): \(problem.message)")
            }
            for index in 0..<kinds.count {
                let text =
                    index < reader.fieldCount
                    ? reader.withField(index, scratch: &scratch) { bytes in
                        bytes.isEmpty ? "" : SQLStep.outputText(kinds[index].value(bytes), column: columns[index])
                    } : ""
                writer.field(text.utf8)
            }
            try writer.endRow()
            rows += 1
        }
        try writer.flush()
        return rows
    }

    /// The column types DuckDB described, in order.
    static func columnTypes(_ url: URL) throws -> [String] {
        let reader = CSVReader(source: try FileByteSource(url: url))
        var types: [String] = []
        while try reader.next() {
            if reader.fieldCount >= 2 { types.append(reader.field(1)) }
        }
        return types
    }

    /// What a DuckDB column's text is as a value of the embedded engine.
    enum Kind {
        case integer, real, exactDecimal, boolean, timestamp, text

        init(_ type: String, declared: ColumnSpec?) {
            let type = type.uppercased()
            if Self.integers.contains(type) {
                self = .integer
            } else if type == "DOUBLE" || type == "FLOAT" {
                self = .real
            } else if type.hasPrefix("DECIMAL") {
                self = declared?.type == .decimal && declared?.scale != nil ? .exactDecimal : .real
            } else if type == "BOOLEAN" {
                self = .boolean
            } else if type.hasPrefix("TIMESTAMP") {
                self = .timestamp
            } else {
                self = .text
            }
        }

        private static let integers: Set = [
            "TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER", "UBIGINT",
            "UHUGEINT",
        ]

        func value(_ bytes: UnsafeRawBufferPointer) -> DatabaseValue {
            switch self {
            case .integer:
                if let number = FieldParser.int(bytes) { return number.databaseValue }
            case .real:
                if let number = Double(String(decoding: bytes, as: UTF8.self)) { return number.databaseValue }
            case .boolean:
                if let truth = FieldParser.bool(bytes) { return (truth ? 1 : 0 as Int64).databaseValue }
            case .timestamp:
                if let text = CanonicalText.of(bytes, type: .timestamp, format: nil) { return text.databaseValue }
            case .exactDecimal, .text: break
            }
            return String(decoding: bytes, as: UTF8.self).databaseValue
        }
    }
}
