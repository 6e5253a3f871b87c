import CSluiceSQLite
import Foundation
import GRDB
import SluiceCore
import SluiceQuality

/// Loads a CSV file into a table of a `sql` step's database at the speed of SQLite's C API: one transaction
/// (the caller's), one prepared INSERT reused for every row, each field bound straight from the CSV reader's
/// buffer (no `String` per field, no argument array per row). A declared column's value is parsed as the
/// quality gate parses it (`SQLField`, the rule `SQLStep.sqlValue` states); text that does not parse stays text; an empty field
/// is NULL.
struct SQLTableLoader {
    let table: String
    let types: [ColumnType?]
    let formats: [DateFormat?]

    /// Inserts every record `reader` has left; returns how many.
    func load(
        _ reader: CSVReader, into db: Database, dataset: DatasetName, control: SQLStepControl
    ) throws -> Int {
        let placeholders = Array(repeating: "?", count: types.count).joined(separator: ", ")
        let insert = try db.makeStatement(sql: "INSERT INTO \(table) VALUES (\(placeholders))")
        let statement = UnsafeMutableRawPointer(insert.sqliteStatement)
        var scratch: [UInt8] = []
        var rows = 0
        while try reader.next() {
            if let problem = reader.problem {
                throw SQLStepError("\(dataset) line \(reader.recordLine): \(problem.message)")
            }
            for index in 0..<min(types.count, reader.fieldCount) {
                try reader.withField(index, scratch: &scratch) { bytes in
                    try bind(bytes, to: Int32(index + 1), of: statement, type: types[index], format: formats[index])
                }
            }
            let status = sluice_sqlite_insert(statement)
            guard status == 0 else { throw Self.failure(status, statement) }
            rows += 1
            if rows % 1024 == 0 { try control.check() }
        }
        return rows
    }

    /// Binds one field: nothing for an empty one (the parameter stays NULL), else its parsed value or its text.
    private func bind(
        _ bytes: UnsafeRawBufferPointer, to index: Int32, of statement: UnsafeMutableRawPointer, type: ColumnType?,
        format: DateFormat?
    ) throws {
        guard !bytes.isEmpty else { return }
        var status: Int32
        switch SQLField(bytes, type: type, format: format) {
        case .integer(let value): status = sluice_sqlite_bind_int64(statement, index, value)
        case .real(let value): status = sluice_sqlite_bind_double(statement, index, value)
        case .canonical(var text):
            status = text.withUTF8 { sluice_sqlite_bind_text(statement, index, $0.baseAddress, Int32($0.count)) }
        case .asWritten: status = sluice_sqlite_bind_text(statement, index, bytes.baseAddress, Int32(bytes.count))
        }
        guard status == 0 else { throw Self.failure(status, statement) }
    }

    static func failure(_ status: Int32, _ statement: UnsafeMutableRawPointer) -> DatabaseError {
        DatabaseError(
            resultCode: ResultCode(rawValue: status), message: String(cString: sluice_sqlite_message(statement)))
    }
}
