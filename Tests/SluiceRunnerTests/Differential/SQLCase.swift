import SluiceCore
import SluiceTestSupport

/// One generated case for a `sql` step: a typed table of 1–3 columns in spellings SQLite's own date
/// functions also read, written as 1–3 CSV files (line endings, byte order mark, quoting, last line break
/// drawn), and per column a query whose result Sluice and `sqlite3`'s CSV import must agree on.
struct SQLCase: CustomStringConvertible {
    var columns: [(name: String, type: ColumnType)] = []
    var rows: [[String]] = []
    var csv: GeneratedCSV

    static let spellings: [ColumnType: [String]] = [
        .int: ["0", "7", "007", "+7", "-7", "42", "-12", "9223372036854775807", ""],
        .decimal: ["0", "1.5", "1.50", "+1.5", "15e-1", ".5", "5.", "1E3", "-2.5", ""],
        .bool: ["true", "TRUE", "t", "yes", "Y", "1", "false", "No", "0", "F", ""],
        .date: ["2024-01-01", "2024-02-29", "1999-12-31", "2000-03-01", ""],
        .timestamp: [
            "2024-01-01T00:00:00Z", "2024-01-01 01:00:00+01:00", "2024-01-01T00:00:00.123Z",
            "2023-12-31T23:30:00-01:00",
            "2024-01-01T00:00:00", "2024-01-01 12:34:56.5", "2024-01-01", "2024-01-01T00:00", "",
        ],
        .string: ["a", "b", "a,b", "say \"hi\"", "line\nbreak", "crlf\r\nx", "é", "", "  ", "A"],
    ]

    init(_ values: [Int]) {
        var choices = Choices(values)
        let types: [ColumnType] = [.int, .decimal, .bool, .date, .timestamp, .string]
        for index in 0..<(1 + choices.next(3)) { columns.append(("c\(index)", choices.pick(types))) }
        csv = GeneratedCSV(&choices)
        // An empty line is no record to Sluice, and a row to `sqlite3`.
        csv.quoteLoneEmpty = true
        while !choices.exhausted { rows.append(columns.map { choices.pick(Self.spellings[$0.type]!) }) }
    }

    /// The query Sluice runs on column `index`, and the one `sqlite3` runs on the same column imported as
    /// text (with INTEGER or REAL affinity for numbers), where the reading of each spelling is written out.
    func queries(_ index: Int) -> (sluice: String, reference: String) {
        let (name, type) = columns[index]
        let raw = "NULLIF(\"\(name)\", '')"
        let value: (sluice: String, reference: String)
        switch type {
        case .int, .decimal, .string: value = ("\"\(name)\"", raw)
        case .bool:
            value = (
                "\"\(name)\"",
                "CASE WHEN lower(\(raw)) IN ('true','t','yes','y','1') THEN 1 WHEN lower(\(raw)) IN ('false','f','no','n','0') THEN 0 END"
            )
        case .date: value = ("date(\"\(name)\")", "date(\(raw))")
        case .timestamp: value = ("strftime('%Y-%m-%d %H:%M:%f', \"\(name)\")", "strftime('%Y-%m-%d %H:%M:%f', \(raw))")
        }
        let query = { (expression: String, table: String) in
            "SELECT \(expression) AS v, count(*) AS n FROM \(table) GROUP BY 1 ORDER BY 1"
        }
        return (query(value.sluice, "raw.t"), query(value.reference, "t"))
    }

    var csvFiles: [String] { csv.write(header: columns.map(\.name), rows: rows) }

    var description: String {
        "columns \(columns.map { "\($0.name): \($0.type.rawValue)" }); \(csv): "
            + csvFiles.map(\.debugDescription).joined(separator: "\n")
    }
}
