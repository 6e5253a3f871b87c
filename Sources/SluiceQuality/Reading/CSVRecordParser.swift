/// Parses one CSV record (RFC 4180) from a window of bytes: the one routine behind both the streaming
/// `CSVReader` and the parallel chunk workers, so every path reads CSV the same way. It looks for the next
/// delimiter, line break or quote 16 bytes at a time.
final class CSVRecordParser {
    let delimiter: UInt8
    /// Field boundaries of the last record, as offsets into the window, and whether each was quoted with
    /// doubled quotes inside (so its bytes need unescaping). Raw storage: the hot loop appends without
    /// reference counting.
    private var fields: UnsafeMutablePointer<Field>
    private var capacity = 64
    private(set) var fieldCount = 0

    struct Field {
        var start: Int
        var end: Int
        var escaped: Bool
    }
    /// Where the record's bytes end (line break and a carriage return before it excluded).
    private(set) var recordEnd = 0
    /// Where the next record starts.
    private(set) var next = 0
    /// Line breaks consumed, inside quoted fields and the terminator.
    private(set) var lines: Int64 = 0
    private(set) var problem: RowProblem?
    /// Whether any byte of the record is outside ASCII (then UTF-8 validity was checked).
    private(set) var hasNonASCII = false

    static let quote = UInt8(ascii: "\"")
    static let newline = UInt8(ascii: "\n")
    static let carriage = UInt8(ascii: "\r")

    init(delimiter: UInt8) {
        self.delimiter = delimiter
        fields = .allocate(capacity: capacity)
    }

    deinit { fields.deallocate() }

    @inline(__always)
    private func addField(_ start: Int, _ end: Int, _ escaped: Bool) {
        if fieldCount == capacity {
            let grown = UnsafeMutablePointer<Field>.allocate(capacity: capacity * 2)
            grown.moveInitialize(from: fields, count: fieldCount)
            fields.deallocate()
            fields = grown
            capacity *= 2
        }
        (fields + fieldCount).initialize(to: Field(start: start, end: end, escaped: escaped))
        fieldCount += 1
    }

    /// Whether a field was quoted with doubled quotes inside.
    func isEscaped(_ index: Int) -> Bool { fields[index].escaped }

    enum Outcome {
        /// A record was read; its fields and `next` are set.
        case record
        /// A line with nothing on it: `next` and `lines` are set, and there is no record.
        case blank
        /// The window ends inside the record and more bytes exist: extend the window and parse again.
        case needMore
    }

    /// Parses the record starting at `start` in `base[0..<end]`; `atEOF` says no bytes follow `end`.
    func parse(_ base: UnsafeRawPointer, from start: Int, end: Int, atEOF: Bool) -> Outcome {
        let quote = Self.quote
        let newline = Self.newline
        let carriage = Self.carriage
        fieldCount = 0
        var position = start
        var lineCount: Int64 = 0
        var high = SIMD16<UInt8>()
        var localProblem: RowProblem?
        fieldLoop: while true {
            if position >= end {
                guard atEOF else { return .needMore }
                // A delimiter right before the end of the file leaves one empty last field.
                addField(position, position, false)
                break fieldLoop
            }
            if base.load(fromByteOffset: position, as: UInt8.self) == quote {
                var cursor = position + 1
                var hasDoubled = false
                while true {
                    cursor = Self.find(base, from: cursor, end: end, quote, newline, &high)
                    guard cursor < end else {
                        guard atEOF else { return .needMore }
                        localProblem = .unterminatedQuote
                        addField(position + 1, end, hasDoubled)
                        position = end
                        break fieldLoop
                    }
                    if base.load(fromByteOffset: cursor, as: UInt8.self) == newline {
                        lineCount += 1
                        cursor += 1
                        continue
                    }
                    if cursor + 1 >= end && !atEOF { return .needMore }
                    if cursor + 1 < end && base.load(fromByteOffset: cursor + 1, as: UInt8.self) == quote {
                        hasDoubled = true
                        cursor += 2
                        continue
                    }
                    break
                }
                addField(position + 1, cursor, hasDoubled)
                position = cursor + 1
                // After a closing quote: a delimiter, the end of the record, or a malformed remainder.
                if position >= end {
                    guard atEOF else { return .needMore }
                    break fieldLoop
                }
                let after = base.load(fromByteOffset: position, as: UInt8.self)
                if after == delimiter {
                    position += 1
                    continue fieldLoop
                }
                if after == newline { break fieldLoop }
                if after == carriage {
                    // The carriage return belongs to the line break: the record (and its span) ends after it.
                    if position + 1 >= end {
                        guard atEOF else { return .needMore }
                        position += 1
                        break fieldLoop
                    }
                    if base.load(fromByteOffset: position + 1, as: UInt8.self) == newline {
                        position += 1
                        break fieldLoop
                    }
                }
                localProblem = localProblem ?? .characterAfterClosingQuote
                // Skip to the next delimiter or line end, dropping the junk.
                position = Self.find(base, from: position, end: end, delimiter, newline, &high)
                if position >= end && !atEOF { return .needMore }
                if position < end && base.load(fromByteOffset: position, as: UInt8.self) == delimiter {
                    position += 1
                    continue fieldLoop
                }
                break fieldLoop
            } else {
                let fieldStart = position
                position = Self.find(base, from: position, end: end, delimiter, newline, &high)
                if position >= end && !atEOF { return .needMore }
                var fieldEnd = position
                if fieldEnd > fieldStart && base.load(fromByteOffset: fieldEnd - 1, as: UInt8.self) == carriage
                    && (position >= end || base.load(fromByteOffset: position, as: UInt8.self) == newline)
                {
                    fieldEnd -= 1
                }
                addField(fieldStart, fieldEnd, false)
                if position < end && base.load(fromByteOffset: position, as: UInt8.self) == delimiter {
                    position += 1
                    continue fieldLoop
                }
                break fieldLoop
            }
        }
        // `position` is at the line break or the end of the window (then at the end of the file).
        var recordEnd = position
        if recordEnd > start && base.load(fromByteOffset: recordEnd - 1, as: UInt8.self) == carriage
            && localProblem != .unterminatedQuote
        {
            recordEnd -= 1
        }
        if position < end && base.load(fromByteOffset: position, as: UInt8.self) == newline {
            position += 1
            lineCount += 1
        }
        self.recordEnd = recordEnd
        next = position
        lines = lineCount
        let words = unsafeBitCast(high, to: SIMD2<UInt64>.self)
        hasNonASCII = (words[0] | words[1]) & 0x8080_8080_8080_8080 != 0
        if localProblem == nil && hasNonASCII
            && !isValidUTF8(UnsafeRawBufferPointer(start: base + start, count: recordEnd - start))
        {
            localProblem = .invalidUTF8
        }
        problem = localProblem
        if recordEnd == start && fieldCount == 1 && localProblem == nil { return .blank }
        return .record
    }

    /// The first offset from `from` holding `first` or `second`, or `end`; ORs every byte looked at into
    /// `high` (and possibly a few beyond) so the caller knows whether any was outside ASCII.
    @inline(__always)
    static func find(
        _ base: UnsafeRawPointer, from: Int, end: Int, _ first: UInt8, _ second: UInt8,
        _ high: inout SIMD16<UInt8>
    ) -> Int {
        var index = from
        let firsts = SIMD16<UInt8>(repeating: first)
        let seconds = SIMD16<UInt8>(repeating: second)
        while index + 16 <= end {
            let block = (base + index).loadUnaligned(as: SIMD16<UInt8>.self)
            high |= block
            let hits = unsafeBitCast((block .== firsts) .| (block .== seconds), to: SIMD2<UInt64>.self)
            if hits[0] != 0 { return index + hits[0].trailingZeroBitCount >> 3 }
            if hits[1] != 0 { return index + 8 + hits[1].trailingZeroBitCount >> 3 }
            index += 16
        }
        while index < end {
            let byte = base.load(fromByteOffset: index, as: UInt8.self)
            if byte == first || byte == second { return index }
            high[0] |= byte
            index += 1
        }
        return end
    }

    /// A field's bytes as written (quotes removed, doubled quotes still doubled when escaped).
    func rawField(_ base: UnsafeRawPointer, _ index: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: base + fields[index].start, count: fields[index].end - fields[index].start)
    }

    /// Bytes of a quoted field with its doubled quotes made single.
    static func unescape(_ raw: UnsafeRawBufferPointer, into scratch: inout [UInt8]) {
        scratch.removeAll(keepingCapacity: true)
        var skip = false
        for byte in raw {
            if skip {
                skip = false
                continue
            }
            scratch.append(byte)
            if byte == quote { skip = true }
        }
    }
}

/// Whether bytes are well-formed UTF-8.
func isValidUTF8(_ bytes: UnsafeRawBufferPointer) -> Bool {
    var iterator = bytes.makeIterator()
    var decoder = UTF8()
    while true {
        switch decoder.decode(&iterator) {
        case .scalarValue: continue
        case .emptyInput: return true
        case .error: return false
        }
    }
}
