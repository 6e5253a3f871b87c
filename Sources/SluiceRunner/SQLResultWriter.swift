import CSluiceSQLite
import Foundation
import GRDB
import SluiceCore

/// Writes a `sql` step's result as RFC 4180 CSV with a header row, read through SQLite's C API into one output
/// buffer: numbers and undeclared text go straight from SQLite to bytes; a value whose column the contract types
/// otherwise takes `SQLStep.outputText`'s path, so every value is spelled exactly as that function spells it.
struct SQLResultWriter {
    let columns: [ColumnSpec?]

    /// Writes every row of `statement` to `handle`; returns how many.
    func write(_ statement: Statement, names: [String], to handle: FileHandle, control: SQLStepControl) throws -> Int {
        let raw = UnsafeMutableRawPointer(statement.sqliteStatement)
        var out: [UInt8] = []
        out.reserveCapacity(1 << 21)
        for (index, name) in names.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            Self.appendField(Array(name.utf8), to: &out)
        }
        out.append(UInt8(ascii: "\n"))
        var rows = 0
        while true {
            let step = sluice_sqlite_next_row(raw)
            if step == 0 { break }
            guard step == 1 else { throw SQLTableLoader.failure(-step, raw) }
            for index in 0..<columns.count {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                appendValue(raw, index, to: &out)
            }
            out.append(UInt8(ascii: "\n"))
            rows += 1
            if rows % 1024 == 0 { try control.check() }
            if out.count >= 1 << 20 {
                try handle.write(contentsOf: out)
                out.removeAll(keepingCapacity: true)
            }
        }
        try handle.write(contentsOf: out)
        return rows
    }

    private func appendValue(_ statement: UnsafeMutableRawPointer, _ index: Int, to out: inout [UInt8]) {
        let column = columns[index]
        let plain = column == nil || column?.type == .string
        switch sluice_sqlite_column_type(statement, Int32(index)) {
        case 5: return  // NULL
        case 1 where plain || column?.type == .int || (column?.type == .decimal && column?.scale == nil):
            Self.appendInteger(sluice_sqlite_column_int64(statement, Int32(index)), to: &out)
        case 2 where plain:
            out.append(contentsOf: SQLStep.format(sluice_sqlite_column_double(statement, Int32(index))).utf8)
        case 3 where plain:
            var length: Int32 = 0
            let bytes = sluice_sqlite_column_text(statement, Int32(index), &length)
            Self.appendField(UnsafeRawBufferPointer(start: bytes, count: Int(length)), to: &out)
        default:
            let value = DatabaseValue(sqliteStatement: OpaquePointer(statement), index: Int32(index))
            Self.appendField(Array(SQLStep.outputText(value, column: column).utf8), to: &out)
        }
    }

    /// A whole number's decimal digits, as `String(number)` spells them.
    static func appendInteger(_ number: Int64, to out: inout [UInt8]) {
        if number < 0 { out.append(UInt8(ascii: "-")) }
        var magnitude = number.magnitude
        let start = out.count
        repeat {
            out.append(UInt8(ascii: "0") + UInt8(magnitude % 10))
            magnitude /= 10
        } while magnitude > 0
        out[start...].reverse()
    }

    /// A field, quoted when it holds a comma, a quote or a line break (quotes doubled).
    static func appendField<Bytes: Collection>(_ bytes: Bytes, to out: inout [UInt8]) where Bytes.Element == UInt8 {
        guard bytes.contains(where: { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }) else {
            out.append(contentsOf: bytes)
            return
        }
        out.append(0x22)
        for byte in bytes {
            out.append(byte)
            if byte == 0x22 { out.append(0x22) }
        }
        out.append(0x22)
    }
}
