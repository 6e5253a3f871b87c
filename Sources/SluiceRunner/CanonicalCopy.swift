import Foundation
import SluiceCore
import SluiceQuality

/// A copy of a CSV file with the fields of some columns in their canonical text (dates and timestamps with a
/// `format:` as ISO text, which DuckDB reads as the gate does); every other field as it was.
struct CanonicalCopy {
    /// The columns to rewrite (by position); `nil` for those copied as they are.
    let columns: [ColumnSpec?]

    func write(from source: URL, to target: URL) throws {
        let reader = CSVReader(source: try FileByteSource(url: source))
        let writer = try CSVFileWriter(creating: target)
        var scratch: [UInt8] = []
        var header = true
        while try reader.next() {
            for index in 0..<reader.fieldCount {
                reader.withField(index, scratch: &scratch) { bytes in
                    let column = index < columns.count && !header ? columns[index] : nil
                    if let column, let text = CanonicalText.of(bytes, type: column.type, format: column.format) {
                        writer.plainField(text)
                    } else {
                        writer.field(bytes)
                    }
                }
            }
            try writer.endRow()
            header = false
        }
        try writer.flush()
    }
}
