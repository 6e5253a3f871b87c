import CSluiceSQLite
import Foundation
import GRDB
import SluiceCore
import SluiceQuality

/// A `sql` step: its inputs loaded into an in-memory SQLite database, one attached schema per zone so that
/// `raw.orders` works as written, then its SELECT written out as the output's CSV.
struct SQLStep {
    let job: StepJob
    let file: URL

    func run(control: SQLStepControl = SQLStepControl()) throws -> StepExecution {
        guard job.step.outputs.count == 1, let output = job.step.outputs.first, let target = job.outputs[output] else {
            return StepExecution(exitCode: nil, failure: "a sql step writes exactly one output")
        }
        let sql: String
        do {
            sql = try String(contentsOf: file, encoding: .utf8)
        } catch {
            return StepExecution(exitCode: nil, failure: "cannot read \(file.path): \(error.localizedDescription)")
        }
        var log = ""
        do {
            let queue = try DatabaseQueue()
            try queue.inDatabase { db in
                control.watch(db)
                for zone in Set(job.inputs.keys.map(\.zone)).sorted() {
                    try db.makeStatement(sql: "ATTACH DATABASE ':memory:' AS \(try Self.quoted(zone))").execute()
                }
                // One transaction for every input: SQLite commits once, not once a row.
                try db.inTransaction {
                    for (dataset, url) in job.inputs.sorted(by: { $0.key.description < $1.key.description }) {
                        let rows = try load(dataset, from: url, into: db, control: control)
                        log += "loaded \(dataset): \(rows) rows\n"
                    }
                    return .commit
                }
                let statement = try prepareLockedDown(sql, in: db)
                let written = try write(statement, to: target, contract: job.contracts[output], control: control)
                log += "wrote \(output): \(written) rows\n"
            }
        } catch let error as SQLStepError {
            return StepExecution(exitCode: nil, failure: error.message, stderr: Data((log + error.message + "\n").utf8))
        } catch let error as DatabaseError {
            let message =
                control.stopped ?? "SQL error in \(file.lastPathComponent): \(error.message ?? "\(error)")"
            return StepExecution(exitCode: nil, failure: message, stderr: Data((log + message + "\n").utf8))
        }
        var execution = StepExecution(exitCode: 0, failure: nil, stdout: Data(log.utf8))
        execution.engine = Self.engine
        return execution
    }

    /// `sqlite 3.40.1`: the library this process runs SQL steps on.
    static let engine: String = {
        let version = try? DatabaseQueue().read { try String.fetchOne($0, sql: "SELECT sqlite_version()") }
        return "sqlite " + ((version ?? nil) ?? "(unknown version)")
    }()

    /// Creates `zone.name` with the file's columns (typed by the contract where it declares them) and
    /// inserts every row; empty fields are NULL.
    private func load(
        _ dataset: DatasetName, from url: URL, into db: Database, control: SQLStepControl
    ) throws -> Int {
        let reader = CSVReader(source: try FileByteSource(url: url))
        guard try reader.next() else { return 0 }
        let columns = (0..<reader.fieldCount).map { reader.field($0) }
        let declared = job.contracts[dataset]?.columns ?? []
        let specs = columns.map { name in declared.first { $0.name == name } }
        let types = specs.map { $0?.type }
        let table = "\(try Self.quoted(dataset.zone)).\(try Self.quoted(dataset.name))"
        let definitions = try zip(columns, types).map { name, type in
            "\(try Self.quoted(name, in: dataset)) \(Self.affinity(type))"
        }
        // One statement per call: a name can never end the statement and start another.
        try db.makeStatement(sql: "CREATE TABLE \(table) (\(definitions.joined(separator: ", ")))").execute()
        let loader = SQLTableLoader(table: table, types: types, formats: specs.map { $0?.format })
        return try loader.load(reader, into: db, dataset: dataset, control: control)
    }

    /// Compiles the step's own SQL on a connection locked down first: nothing but reading and calling
    /// functions compiles (no ATTACH, PRAGMA, writes or extension loading), so even SQL that got past the
    /// read-only check could not reach a file or another database.
    private func prepareLockedDown(_ sql: String, in db: Database) throws -> Statement {
        let status = sluice_sqlite_lock_down(UnsafeMutableRawPointer(db.sqliteConnection))
        guard status == 0 else { throw SQLStepError("cannot lock the SQL engine down (SQLite code \(status))") }
        let statement: Statement
        do {
            statement = try db.makeStatement(sql: sql)
        } catch let error as DatabaseError where error.resultCode == .SQLITE_AUTH {
            throw SQLStepError(
                "\(job.step.name): \(file.lastPathComponent) must be one SELECT; it tried something else (\(error.message ?? "not authorized"))"
            )
        }
        guard statement.isReadonly else {
            throw SQLStepError("\(job.step.name): \(file.lastPathComponent) must be one SELECT; it would change data")
        }
        return statement
    }

    /// `name` as a quoted identifier (both engines quote alike), or the step's error naming a name SQL cannot hold.
    static func quoted(_ name: String, in dataset: DatasetName? = nil) throws -> String {
        guard let quoted = SQLIdentifier.quoted(name) else {
            throw SQLStepError(
                "\(dataset.map { "\($0) has" } ?? "there is") a column name SQL cannot hold: \(NameRules.quoted(name))")
        }
        return quoted
    }

    /// A field as SQL sees it: the same parse as the quality gate, so a value means the same thing in
    /// both. `bool` in any accepted spelling is 0 or 1, `int` an integer, `decimal` a REAL (a double),
    /// `date` and `timestamp` their canonical ISO text (`2024-09-03`, `2024-09-03T22:28:44.086000Z`, UTC, so
    /// text order is time order and SQLite's date functions read them); text that does not parse (an
    /// unchecked dataset) stays text.
    static func sqlValue(_ text: String, type: ColumnType?, format: DateFormat? = nil) -> any DatabaseValueConvertible {
        var text = text
        let field = text.withUTF8 { SQLField(UnsafeRawBufferPointer($0), type: type, format: format) }
        switch field {
        case .integer(let value): return value
        case .real(let value): return value
        case .canonical(let value): return value
        case .asWritten: return text
        }
    }

    /// A result value as written to the output: declared columns in their canonical spelling (`true` and
    /// `false`, whole numbers without a fraction, ISO dates and timestamps in UTC), so the stored data reads
    /// the same to the gate, to SQL, to a command step and in `cat`; anything else as SQLite returned it.
    static func outputText(_ value: DatabaseValue, column: ColumnSpec?) -> String {
        let text: String
        switch value.storage {
        case .null: return ""
        case .int64(let number):
            if column?.type == .bool && (number == 0 || number == 1) { return number == 1 ? "true" : "false" }
            text = String(number)
        case .double(let number):
            if column?.type == .int, number == number.rounded(), abs(number) < 9e15 { return String(Int64(number)) }
            text = format(number)
        case .string(let string): text = string
        case .blob(let data): text = data.base64EncodedString()
        }
        if let column, column.type == .decimal, let scale = column.scale {
            // The shortest text that reads back as the double (what the computation meant), then rounded exactly.
            let exact: String
            if case .double(let number) = value.storage { exact = "\(number)" } else { exact = text }
            return DecimalText.rounded(exact, scale: scale) ?? text
        }
        guard let column, column.type != .string, column.format == nil else { return text }
        let bytes = Array(text.utf8)
        return bytes.withUnsafeBytes { CanonicalText.of($0, type: column.type, format: nil) } ?? text
    }

    private static func affinity(_ type: ColumnType?) -> String {
        switch type {
        case .int, .bool: return "INTEGER"
        case .decimal: return "REAL"
        default: return "TEXT"
        }
    }

    /// Writes the result as RFC 4180 CSV with a header row (`SQLResultWriter`).
    private func write(
        _ statement: Statement, to url: URL, contract: Dataset?, control: SQLStepControl
    ) throws -> Int {
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw SQLStepError("cannot create \(url.path)")
        }
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        let names = statement.columnNames
        let writer = SQLResultWriter(columns: names.map { name in contract?.columns.first { $0.name == name } })
        return try writer.write(statement, names: names, to: handle, control: control)
    }

    static func format(_ number: Double) -> String {
        number == number.rounded() && abs(number) < 1e15 ? String(format: "%.1f", number) : "\(number)"
    }
}

struct SQLStepError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}

/// What a field of a declared type is to SQL (`SQLStep.sqlValue`'s rule, which the loader binds from): a whole
/// number, a double, its canonical text, or its text as written when it does not parse.
enum SQLField {
    case integer(Int64)
    case real(Double)
    case canonical(String)
    case asWritten

    init(_ bytes: UnsafeRawBufferPointer, type: ColumnType?, format: DateFormat?) {
        switch type {
        case .int: self = FieldParser.int(bytes).map(SQLField.integer) ?? .asWritten
        case .decimal: self = FieldParser.decimal(bytes).map(SQLField.real) ?? .asWritten
        case .bool: self = FieldParser.bool(bytes).map { .integer($0 ? 1 : 0) } ?? .asWritten
        case .date, .timestamp:
            self =
                type.flatMap { CanonicalText.of(bytes, type: $0, format: format) }.map(SQLField.canonical) ?? .asWritten
        case .string, nil: self = .asWritten
        }
    }
}
