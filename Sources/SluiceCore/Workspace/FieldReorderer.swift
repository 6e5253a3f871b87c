/// Moves the fields of CSV records, record by record, as bytes arrive: output field `j` is input field
/// `order[j]` (empty when it is `-1` or the record is short). Quoted fields may hold delimiters and line
/// breaks; every field keeps its bytes as written, quotes included, and every record its line ending. A
/// byte-order mark at the start goes (the names it preceded move).
struct FieldReorderer {
    let delimiter: UInt8
    let order: [Int]
    private var record: [UInt8] = []
    /// Where each field but the first starts in `record`.
    private var starts: [Int] = []
    private var inQuotes = false
    private var atStart = true
    private var output: [UInt8] = []

    init(delimiter: UInt8, order: [Int]) {
        self.delimiter = delimiter
        self.order = order
    }

    mutating func feed(_ bytes: UnsafeRawBufferPointer, emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        var bytes = bytes
        if atStart, !bytes.isEmpty {
            atStart = false
            if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = UnsafeRawBufferPointer(rebasing: bytes.dropFirst(3)) }
        }
        for byte in bytes {
            if byte == UInt8(ascii: "\"") {
                inQuotes.toggle()
            } else if !inQuotes && byte == delimiter {
                starts.append(record.count)
                continue
            } else if !inQuotes && byte == UInt8(ascii: "\n") {
                endRecord(lineEnding: true)
                continue
            }
            record.append(byte)
        }
        if output.count >= 1 << 20 { try flush(emit) }
    }

    /// Ends the last record (one without a line break) and writes what is left.
    mutating func finish(emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        if !record.isEmpty || !starts.isEmpty { endRecord(lineEnding: false) }
        try flush(emit)
    }

    private mutating func flush(_ emit: (UnsafeRawBufferPointer) throws -> Void) throws {
        try output.withUnsafeBytes(emit)
        output.removeAll(keepingCapacity: true)
    }

    private mutating func endRecord(lineEnding: Bool) {
        var carriageReturn = false
        if lineEnding, record.last == UInt8(ascii: "\r"), (starts.last ?? 0) < record.count {
            record.removeLast()
            carriageReturn = true
        }
        if !record.isEmpty || !starts.isEmpty {
            let bounds = [0] + starts + [record.count]
            for (position, source) in order.enumerated() {
                if position > 0 { output.append(delimiter) }
                guard source >= 0, source + 1 < bounds.count else { continue }
                output.append(contentsOf: record[bounds[source]..<bounds[source + 1]])
            }
        }
        if carriageReturn { output.append(UInt8(ascii: "\r")) }
        if lineEnding { output.append(UInt8(ascii: "\n")) }
        record.removeAll(keepingCapacity: true)
        starts.removeAll(keepingCapacity: true)
    }
}
