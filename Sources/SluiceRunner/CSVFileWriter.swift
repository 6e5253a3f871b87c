import Foundation
import SluiceCore

/// A CSV file written row by row through one buffer, a megabyte at a time: fields quoted when they hold a comma,
/// a quote or a line break (RFC 4180, quotes doubled), rows ended by `\n`.
final class CSVFileWriter {
    private let handle: FileHandle
    private var out: [UInt8] = []
    private var fieldsInRow = 0

    /// Creates (or empties) `url`.
    init(creating url: URL) throws {
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw InternalError("cannot create \(url.path)")
        }
        handle = try FileHandle(forWritingTo: url)
        out.reserveCapacity(1 << 20)
    }

    deinit { try? handle.close() }

    /// Appends one field to the row being written.
    func field<Bytes: Collection>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        if fieldsInRow > 0 { out.append(UInt8(ascii: ",")) }
        fieldsInRow += 1
        SQLResultWriter.appendField(bytes, to: &out)
    }

    /// Appends a field known to need no quotes (a canonical number, date or timestamp).
    func plainField(_ text: String) {
        if fieldsInRow > 0 { out.append(UInt8(ascii: ",")) }
        fieldsInRow += 1
        out.append(contentsOf: text.utf8)
    }

    func row<Bytes: Collection>(_ fields: [Bytes]) throws where Bytes.Element == UInt8 {
        for field in fields { self.field(field) }
        try endRow()
    }

    func endRow() throws {
        out.append(UInt8(ascii: "\n"))
        fieldsInRow = 0
        if out.count >= 1 << 20 { try flush() }
    }

    /// Writes what is buffered; call once the last row is written.
    func flush() throws {
        try handle.write(contentsOf: out)
        out.removeAll(keepingCapacity: true)
    }
}
