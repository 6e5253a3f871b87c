import Foundation

/// Counts records and reads the header of CSV or JSON Lines data as it streams past, in one pass.
/// CSV line breaks inside quoted fields do not end a record.
public struct RecordCounter: Sendable {
    public let format: DataFormat
    public let delimiter: UInt8
    private var inQuotes = false
    private var lineHasContent = false
    private var newlines: Int64 = 0
    private var firstLine: [UInt8] = []
    private var firstLineDone = false
    private static let firstLineLimit = 1 << 20

    public init(format: DataFormat, delimiter: UInt8 = UInt8(ascii: ",")) {
        self.format = format
        self.delimiter = delimiter
    }

    public mutating func consume(_ bytes: UnsafeRawBufferPointer) {
        if !firstLineDone { captureFirstLine(bytes) }
        let quote = UInt8(ascii: "\"")
        let newline = UInt8(ascii: "\n")
        var inQuotes = self.inQuotes
        var content = lineHasContent
        var count: Int64 = 0
        let csv = format == .csv
        for byte in bytes {
            if byte == newline {
                if !inQuotes {
                    if content { count += 1 }
                    content = false
                }
            } else {
                if csv && byte == quote { inQuotes.toggle() }
                if byte != UInt8(ascii: "\r") { content = true }
            }
        }
        self.inQuotes = inQuotes
        lineHasContent = content
        newlines += count
    }

    private mutating func captureFirstLine(_ bytes: UnsafeRawBufferPointer) {
        for byte in bytes {
            if byte == UInt8(ascii: "\n") || firstLine.count >= Self.firstLineLimit {
                firstLineDone = true
                return
            }
            firstLine.append(byte)
        }
    }

    /// Data records: non-empty lines, less the header for CSV.
    public var rows: Int64 {
        let lines = newlines + (lineHasContent ? 1 : 0)
        return format == .csv ? max(0, lines - 1) : lines
    }

    /// Column names: the CSV header, or the keys of the first JSON object (sorted).
    public var schema: [String] {
        var line = firstLine
        if line.last == UInt8(ascii: "\r") { line.removeLast() }
        if line.starts(with: [0xEF, 0xBB, 0xBF]) { line.removeFirst(3) }
        switch format {
        case .csv: return Self.splitHeader(line, delimiter: delimiter)
        case .jsonl: return Self.jsonKeys(line)
        }
    }

    static func splitHeader(_ line: [UInt8], delimiter: UInt8) -> [String] {
        guard !line.isEmpty else { return [] }
        var fields: [String] = []
        var current: [UInt8] = []
        var inQuotes = false
        var index = 0
        while index < line.count {
            let byte = line[index]
            if inQuotes {
                if byte == UInt8(ascii: "\"") {
                    if index + 1 < line.count && line[index + 1] == UInt8(ascii: "\"") {
                        current.append(byte)
                        index += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    current.append(byte)
                }
            } else if byte == UInt8(ascii: "\"") {
                inQuotes = true
            } else if byte == delimiter {
                fields.append(String(decoding: current, as: UTF8.self))
                current = []
            } else {
                current.append(byte)
            }
            index += 1
        }
        fields.append(String(decoding: current, as: UTF8.self))
        return fields
    }

    static func jsonKeys(_ line: [UInt8]) -> [String] {
        guard let object = try? JSONSerializationBox.object(from: line) else { return [] }
        return object.keys.sorted()
    }
}

/// Parses one JSON object line (used for the schema of JSON Lines data).
enum JSONSerializationBox {
    static func object(from bytes: [UInt8]) throws -> [String: Any] {
        (try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any]) ?? [:]
    }
}
