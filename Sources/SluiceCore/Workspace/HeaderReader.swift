import Foundation

/// Reads column names from the start of a file: the CSV header, or the keys of the first JSON object.
public enum HeaderReader {
    public static func columns(_ start: UnsafeRawBufferPointer, format: DataFormat, delimiter: UInt8) -> [String] {
        let limit = min(start.count, 1 << 20)
        var line = Array(UnsafeRawBufferPointer(rebasing: start[0..<limit]))
        if let newline = line.firstIndex(of: UInt8(ascii: "\n")) { line.removeSubrange(newline...) }
        if line.last == UInt8(ascii: "\r") { line.removeLast() }
        if line.starts(with: [0xEF, 0xBB, 0xBF]) { line.removeFirst(3) }
        switch format {
        case .csv: return splitCSVHeader(line, delimiter: delimiter)
        case .jsonl:
            let object = (try? JSONSerialization.jsonObject(with: Data(line))) as? [String: Any]
            return object?.keys.sorted() ?? []
        }
    }

    static func splitCSVHeader(_ line: [UInt8], delimiter: UInt8) -> [String] {
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
}
