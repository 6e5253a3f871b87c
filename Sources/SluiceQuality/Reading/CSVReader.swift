import Foundation
import SluiceCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Reads CSV per RFC 4180 from a file, one record at a time, in bounded memory: quoted fields may hold
/// delimiters, doubled quotes and line breaks; LF or CRLF; an optional UTF-8 byte order mark; any one-byte
/// delimiter. A malformed record is returned with its problem and line number instead of stopping the read;
/// a record longer than `maxRecordBytes` is skipped without being held in memory.
public final class CSVReader {
    public let delimiter: UInt8
    public let maxRecordBytes: Int
    private let source: any ByteSource
    private var buffer: UnsafeMutableRawBufferPointer
    private var start = 0  // first byte of the unread data
    private var end = 0  // one past the last byte read
    private var atEOF = false
    private var line: Int64 = 1
    private var first = true

    /// The record just read: fields as byte ranges into the reader's buffer, valid until the next `next()`.
    public private(set) var fieldStarts: [Int] = []
    public private(set) var fieldEnds: [Int] = []
    /// Fields that were quoted and contain doubled quotes, so their bytes need unescaping.
    public private(set) var fieldEscaped: [Bool] = []
    public private(set) var recordStart = 0
    public private(set) var recordEnd = 0
    /// The line the record starts on (1 is the first line of the file).
    public private(set) var recordLine: Int64 = 0
    public private(set) var problem: RowProblem?
    /// Whether any byte of the record is outside ASCII (then UTF-8 validity was checked).
    public private(set) var hasNonASCII = false

    public init(source: any ByteSource, delimiter: UInt8 = UInt8(ascii: ","), maxRecordBytes: Int = 64 << 20) {
        self.source = source
        self.delimiter = delimiter
        self.maxRecordBytes = max(1024, maxRecordBytes)
        self.buffer = .allocate(byteCount: 1 << 20, alignment: 64)
    }

    deinit { buffer.deallocate() }

    public var fieldCount: Int { fieldStarts.count }

    /// The record's original bytes, terminator excluded.
    public var rawRecord: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: buffer[recordStart..<recordEnd])
    }

    /// A field's bytes as written (quotes removed, doubled quotes still doubled when `fieldEscaped`).
    public func rawField(_ index: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: buffer[fieldStarts[index]..<fieldEnds[index]])
    }

    /// A field's value as text, with doubled quotes made single.
    public func field(_ index: Int) -> String {
        let raw = rawField(index)
        guard fieldEscaped[index] else { return String(decoding: raw, as: UTF8.self) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(raw.count)
        var skip = false
        for byte in raw {
            if skip {
                skip = false
                continue
            }
            bytes.append(byte)
            if byte == UInt8(ascii: "\"") { skip = true }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Reads the next record; `false` at the end of the file.
    public func next() throws -> Bool {
        fieldStarts.removeAll(keepingCapacity: true)
        fieldEnds.removeAll(keepingCapacity: true)
        fieldEscaped.removeAll(keepingCapacity: true)
        problem = nil
        hasNonASCII = false
        while true {
            if start >= end {
                if atEOF { return false }
                try fill()
                continue
            }
            if first {
                first = false
                if end - start < 3 && !atEOF { try fill() }
                if end - start >= 3 && buffer[start] == 0xEF && buffer[start + 1] == 0xBB && buffer[start + 2] == 0xBF {
                    start += 3
                    continue
                }
            }
            if let result = try parseRecord() { return result }
        }
    }

    /// Parses one record from `start`; `nil` when the buffer must be refilled first.
    private func parseRecord() throws -> Bool? {
        let quote = UInt8(ascii: "\"")
        let newline = UInt8(ascii: "\n")
        let carriage = UInt8(ascii: "\r")
        var position = start
        var lines: Int64 = 0
        var nonASCII = false
        fieldStarts.removeAll(keepingCapacity: true)
        fieldEnds.removeAll(keepingCapacity: true)
        fieldEscaped.removeAll(keepingCapacity: true)
        var localProblem: RowProblem?
        fieldLoop: while true {
            // One field starting at `position`.
            if position >= end { if atEOF { break fieldLoop } else { return try needMore() } }
            if buffer[position] == quote {
                var cursor = position + 1
                var escaped = false
                while true {
                    guard cursor < end else {
                        if atEOF {
                            localProblem = .unterminatedQuote
                            fieldStarts.append(position + 1)
                            fieldEnds.append(end)
                            fieldEscaped.append(escaped)
                            position = end
                            break fieldLoop
                        }
                        return try needMore()
                    }
                    let byte = buffer[cursor]
                    if byte == quote {
                        if cursor + 1 >= end && !atEOF { return try needMore() }
                        if cursor + 1 < end && buffer[cursor + 1] == quote {
                            escaped = true
                            cursor += 2
                            continue
                        }
                        break
                    }
                    if byte == newline { lines += 1 }
                    if byte >= 0x80 { nonASCII = true }
                    cursor += 1
                }
                fieldStarts.append(position + 1)
                fieldEnds.append(cursor)
                fieldEscaped.append(escaped)
                position = cursor + 1
                // After a closing quote: a delimiter, the end of the record, or a malformed remainder.
                if position >= end && !atEOF { return try needMore() }
                if position >= end { break fieldLoop }
                let after = buffer[position]
                if after == delimiter {
                    position += 1
                    continue fieldLoop
                }
                if after == newline || (after == carriage && position + 1 < end && buffer[position + 1] == newline) {
                    break fieldLoop
                }
                if after == carriage && position + 1 >= end && !atEOF { return try needMore() }
                localProblem = localProblem ?? .characterAfterClosingQuote
                // Skip to the next delimiter or line end, counting the junk as part of this field.
                while position < end && buffer[position] != delimiter && buffer[position] != newline {
                    position += 1
                }
                if position >= end && !atEOF { return try needMore() }
                if position < end && buffer[position] == delimiter {
                    position += 1
                    continue fieldLoop
                }
                break fieldLoop
            } else {
                let fieldStart = position
                while position < end {
                    let byte = buffer[position]
                    if byte == delimiter || byte == newline { break }
                    if byte >= 0x80 { nonASCII = true }
                    position += 1
                }
                if position >= end && !atEOF { return try needMore() }
                var fieldEnd = position
                if (position >= end || buffer[position] == newline) && fieldEnd > fieldStart
                    && buffer[fieldEnd - 1] == carriage
                {
                    fieldEnd -= 1
                }
                fieldStarts.append(fieldStart)
                fieldEnds.append(fieldEnd)
                fieldEscaped.append(false)
                if position < end && buffer[position] == delimiter {
                    position += 1
                    continue fieldLoop
                }
                break fieldLoop
            }
        }
        // `position` is at the line break (or the end of the file).
        recordStart = start
        recordEnd = position
        if recordEnd > recordStart && buffer[recordEnd - 1] == carriage && localProblem != .unterminatedQuote {
            recordEnd -= 1
        }
        recordLine = line
        if position < end && buffer[position] == newline {
            position += 1
            lines += 1
        }
        line += lines
        start = position
        hasNonASCII = nonASCII
        if localProblem == nil && nonASCII
            && !isValidUTF8(UnsafeRawBufferPointer(rebasing: buffer[recordStart..<recordEnd]))
        {
            localProblem = .invalidUTF8
        }
        problem = localProblem
        // A blank line is no record: the caller's loop reads on.
        if recordEnd == recordStart && fieldStarts.count == 1 && localProblem == nil { return nil }
        return true
    }

    /// Makes room and reads more; when one record outgrows the limit, skips it and reports it.
    private func needMore() throws -> Bool? {
        if end - start >= maxRecordBytes {
            try skipOversizedRecord()
            return true
        }
        try fill()
        return nil
    }

    private func fill() throws {
        try ReadBuffer.refill(&buffer, start: &start, end: &end, atEOF: &atEOF, from: source, limit: maxRecordBytes)
    }

    /// Discards the current record up to its end (tracking quotes) without buffering it.
    private func skipOversizedRecord() throws {
        let quote = UInt8(ascii: "\"")
        let newline = UInt8(ascii: "\n")
        recordLine = line
        var inQuotes = false
        var lines: Int64 = 0
        var position = start
        while true {
            while position < end {
                let byte = buffer[position]
                if byte == quote {
                    inQuotes.toggle()
                } else if byte == newline {
                    lines += 1
                    if !inQuotes {
                        line += lines
                        start = position + 1
                        finishOversized()
                        return
                    }
                }
                position += 1
            }
            if atEOF {
                line += lines
                start = end
                finishOversized()
                return
            }
            start = end
            try fill()
            position = start
        }
    }

    private func finishOversized() {
        fieldStarts = [0]
        fieldEnds = [0]
        fieldEscaped = [false]
        recordStart = 0
        recordEnd = 0
        problem = .recordTooLong(limit: maxRecordBytes)
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
