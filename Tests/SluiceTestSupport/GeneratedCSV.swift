/// How generated rows are written as CSV: into 1–3 files (each with the header, rows dealt out in order),
/// with LF or CRLF, with or without a byte order mark and a last line break, quoting only what must be
/// quoted or every non-empty field.
public struct GeneratedCSV: CustomStringConvertible {
    public var files = 1
    public var crlf = false
    public var byteOrderMark = false
    public var finalBreak = true
    public var quoteAll = false
    /// Write an empty value of a one-column file as `""` (an empty line is no record to Sluice).
    public var quoteLoneEmpty = false

    public init(_ choices: inout Choices) {
        files = 1 + choices.next(3)
        crlf = choices.chance(2)
        byteOrderMark = choices.chance(3)
        finalBreak = !choices.chance(4)
        quoteAll = choices.chance(5)
    }

    public func write(header: [String], rows: [[String]]) -> [String] {
        let end = crlf ? "\r\n" : "\n"
        let lone = quoteLoneEmpty && header.count == 1
        var bodies = Array(repeating: [String](), count: files)
        for (index, row) in rows.enumerated() {
            bodies[index * files / max(rows.count, 1)].append(row.map { field($0, lone: lone) }.joined(separator: ","))
        }
        let start = byteOrderMark ? "\u{FEFF}" : ""
        let last = finalBreak ? end : ""
        let top = header.joined(separator: ",")
        return bodies.map { body -> String in start + ([top] + body).joined(separator: end) + last }
    }

    private func field(_ value: String, lone: Bool) -> String {
        let special: Bool = value.utf8.contains { byte in [0x2C, 0x22, 0x0A, 0x0D].contains(byte) }
        guard special || (lone && value.isEmpty) || (quoteAll && !value.isEmpty) else { return value }
        return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    public var description: String {
        "\(files) files, \(crlf ? "CRLF" : "LF"), BOM \(byteOrderMark), last break \(finalBreak), quote all \(quoteAll)"
    }
}
