import Foundation

/// Reads JSON Lines: one JSON object per line. An unparsable line, a line that is not an object, invalid
/// UTF-8 or a line longer than `maxRecordBytes` becomes a row problem with its line number; blank lines are skipped.
public final class JSONLinesReader {
    public let maxRecordBytes: Int
    private let source: any ByteSource
    private var buffer: UnsafeMutableRawBufferPointer
    private var start = 0
    private var end = 0
    private var atEOF = false
    private var offset = 0
    private var line: Int64 = 0

    /// Lines read so far, blank ones included.
    var linesRead: Int64 { line }
    /// No line that starts at or after this offset is read.
    var stopAt = Int.max
    public private(set) var recordLine: Int64 = 0
    public private(set) var problem: RowProblem?
    public private(set) var object: [String: Any] = [:]
    private var recordBytes: Range<Int> = 0..<0
    /// Where the last record lies in the source, from its first byte to just after its line break.
    private(set) var recordSpan: Range<Int> = 0..<0

    public init(source: any ByteSource, maxRecordBytes: Int = 64 << 20) {
        self.source = source
        self.maxRecordBytes = max(1024, maxRecordBytes)
        buffer = .allocate(byteCount: 1 << 20, alignment: 64)
    }

    deinit { buffer.deallocate() }

    /// Bytes of the source read so far.
    var consumed: Int { offset - (end - start) }

    /// A value's bytes as text, or `nil` for a missing or null value.
    func valueBytes(_ key: String) -> [UInt8]? {
        Self.text(of: object[key])
    }

    /// A decoded JSON value's bytes as text, or `nil` for a missing or null value.
    public static func text(of value: Any?) -> [UInt8]? {
        guard let value, !(value is NSNull) else { return nil }
        switch value {
        case let text as String: return Array(text.utf8)
        case let number as NSNumber:
            // JSON true and false arrive as numbers whose Objective-C type is `c`.
            if String(cString: number.objCType) == "c" { return Array((number.boolValue ? "true" : "false").utf8) }
            return Array(number.stringValue.utf8)
        default:
            let data = (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys])) ?? Data()
            return Array(data)
        }
    }

    public var rawRecord: UnsafeRawBufferPointer { UnsafeRawBufferPointer(rebasing: buffer[recordBytes]) }

    public func next() throws -> Bool {
        while true {
            problem = nil
            object = [:]
            let begin = consumed
            guard begin < stopAt, let range = try nextLine() else { return false }
            recordSpan = begin..<consumed
            line += 1
            recordLine = line
            recordBytes = range
            if problem != nil { return true }
            var bytes = rawRecord
            if let last = bytes.last, last == UInt8(ascii: "\r") {
                bytes = UnsafeRawBufferPointer(rebasing: bytes.dropLast())
            }
            if bytes.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }) { continue }
            guard isValidUTF8(bytes) else {
                problem = .invalidUTF8
                return true
            }
            do {
                guard
                    let parsed = try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
                        as? [String: Any]
                else {
                    problem = .notAnObject
                    return true
                }
                // A parser keeps one value of a repeated key; the record is refused instead.
                if let keys = TopLevelKeys.scan(bytes), keys.count != parsed.count {
                    problem = .duplicateKeys(TopLevelKeys.repeated(keys))
                    return true
                }
                object = parsed
            } catch {
                problem = .invalidJSON(Self.describe(error))
            }
            return true
        }
    }

    static func describe(_ error: Error) -> String {
        let text = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)"
        return String(text.prefix(120))
    }

    /// The next line's byte range in the buffer (without the line break).
    private func nextLine() throws -> Range<Int>? {
        var scanned = start
        while true {
            if let newline = memchr(buffer.baseAddress! + scanned, Int32(UInt8(ascii: "\n")), end - scanned) {
                let index = buffer.baseAddress!.distance(to: UnsafeMutableRawPointer(newline))
                let range = start..<index
                start = index + 1
                if range.count > maxRecordBytes {
                    problem = .recordTooLong(limit: maxRecordBytes)
                    return range.lowerBound..<range.lowerBound
                }
                return range
            }
            scanned = end
            if atEOF {
                guard start < end else { return nil }
                let range = start..<end
                start = end
                return range
            }
            if end - start >= maxRecordBytes {
                try skipRestOfLine()
                problem = .recordTooLong(limit: maxRecordBytes)
                return start..<start
            }
            let consumed = start
            try fill()
            scanned -= consumed
        }
    }

    private func skipRestOfLine() throws {
        while true {
            if let newline = memchr(buffer.baseAddress! + start, Int32(UInt8(ascii: "\n")), end - start) {
                start = buffer.baseAddress!.distance(to: UnsafeMutableRawPointer(newline)) + 1
                return
            }
            start = end
            if atEOF { return }
            try fill()
        }
    }

    private func fill() throws {
        try ReadBuffer.refill(
            &buffer, start: &start, end: &end, atEOF: &atEOF, from: source, offset: &offset, limit: maxRecordBytes)
    }
}
