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
    private var offset = 0
    private var line: Int64 = 1
    private var first = true

    private let parser: CSVRecordParser
    private var skipped = false

    public private(set) var recordStart = 0
    public private(set) var recordEnd = 0
    /// The line the record starts on (1 is the first line of the file).
    public private(set) var recordLine: Int64 = 0
    public private(set) var problem: RowProblem?
    /// Whether any byte of the record is outside ASCII (then UTF-8 validity was checked).
    public var hasNonASCII: Bool { !skipped && parser.hasNonASCII }

    public init(source: any ByteSource, delimiter: UInt8 = UInt8(ascii: ","), maxRecordBytes: Int = 64 << 20) {
        self.source = source
        self.delimiter = delimiter
        self.maxRecordBytes = max(1024, maxRecordBytes)
        self.buffer = .allocate(byteCount: 1 << 20, alignment: 64)
        self.parser = CSVRecordParser(delimiter: delimiter)
    }

    deinit { buffer.deallocate() }

    public var fieldCount: Int { skipped ? 1 : parser.fieldCount }

    /// The record's original bytes, terminator excluded.
    public var rawRecord: UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(rebasing: buffer[recordStart..<recordEnd])
    }

    /// A field's bytes as written (quotes removed, doubled quotes still doubled), valid until the next `next()`.
    public func rawField(_ index: Int) -> UnsafeRawBufferPointer {
        skipped ? UnsafeRawBufferPointer(rebasing: buffer[0..<0]) : parser.rawField(buffer.baseAddress!, index)
    }

    /// A field's value as bytes (doubled quotes made single, in `scratch` when there are any), for `body`; the
    /// bytes are valid only inside it. No `String` is made.
    public func withField<Result>(
        _ index: Int, scratch: inout [UInt8], _ body: (UnsafeRawBufferPointer) throws -> Result
    ) rethrows -> Result {
        let raw = rawField(index)
        guard !skipped, parser.isEscaped(index) else { return try body(raw) }
        CSVRecordParser.unescape(raw, into: &scratch)
        return try scratch.withUnsafeBytes(body)
    }

    /// A field's value as text, with doubled quotes made single.
    public func field(_ index: Int) -> String {
        let raw = rawField(index)
        guard !skipped, parser.isEscaped(index) else { return String(decoding: raw, as: UTF8.self) }
        var bytes: [UInt8] = []
        CSVRecordParser.unescape(raw, into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Reads the next record; `false` at the end of the file.
    public func next() throws -> Bool {
        problem = nil
        skipped = false
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
            switch parser.parse(UnsafeRawPointer(buffer.baseAddress!), from: start, end: end, atEOF: atEOF) {
            case .needMore:
                if end - start >= maxRecordBytes {
                    try skipOversizedRecord()
                    return true
                }
                try fill()
            case .blank:
                line += parser.lines
                start = parser.next
            case .record:
                recordStart = start
                recordEnd = parser.recordEnd
                recordLine = line
                problem = parser.problem
                line += parser.lines
                start = parser.next
                return true
            }
        }
    }

    private func fill() throws {
        try ReadBuffer.refill(
            &buffer, start: &start, end: &end, atEOF: &atEOF, from: source, offset: &offset, limit: maxRecordBytes)
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
        skipped = true
        recordStart = 0
        recordEnd = 0
        problem = .recordTooLong(limit: maxRecordBytes)
    }
}
