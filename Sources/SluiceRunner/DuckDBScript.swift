import Foundation
import SluiceCore

/// The script the `duckdb` program runs for one sql step. Every input becomes a typed view named as its
/// dataset (`raw.orders`) over its file; then the program is locked down (files only where the step works, no
/// extensions, settings frozen) before the step's own SQL runs, read by DuckDB itself from its copy in the
/// step's folder and passed to `query()`, which runs nothing but one SELECT. The result and its column types
/// are written with `COPY … TO`. No name, path or query text is ever part of the script unquoted.
struct DuckDBScript {
    /// One input: its view, the file it reads, and its columns as the file's header names them.
    struct Input {
        var dataset: DatasetName
        var file: URL
        var columns: [String]
        var contract: Dataset?
    }

    var inputs: [Input]
    /// The step's SQL, copied into `folder`.
    var query: URL
    /// The attempt's own folder: DuckDB's temporary files, the result and its types are written there.
    var folder: URL
    var settings: SQLSettings

    var result: URL { folder.appendingPathComponent("duckdb-result.csv") }
    var types: URL { folder.appendingPathComponent("duckdb-types.csv") }

    func text() throws -> String {
        var lines = [
            "SET autoinstall_known_extensions = false;", "SET autoload_known_extensions = false;",
            "SET TimeZone = 'UTC';",
            "SET temp_directory = \(Self.literal(folder.appendingPathComponent("duckdb.tmp").path));",
        ]
        if let limit = settings.duckdbMemoryLimit { lines.append("SET memory_limit = \(Self.literal(limit));") }
        if let threads = settings.duckdbThreads { lines.append("SET threads = \(threads);") }
        for zone in Set(inputs.map(\.dataset.zone)).sorted() {
            lines.append("CREATE SCHEMA IF NOT EXISTS \(try SQLStep.quoted(zone));")
        }
        for input in inputs { lines.append(try view(input)) }
        lines += [
            "SET VARIABLE sluice_query = (SELECT content FROM read_text(\(Self.literal(query.path))));",
            "SET allowed_paths = [\(inputs.map { Self.literal($0.file.path) }.joined(separator: ", "))];",
            "SET allowed_directories = [\(Self.literal(folder.path + "/"))];",
            "SET enable_external_access = false;", "SET lock_configuration = true;",
            "COPY (SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM query(getvariable('sluice_query'))))"
                + " TO \(Self.literal(types.path)) (FORMAT csv, HEADER false);",
            "COPY (SELECT * FROM query(getvariable('sluice_query'))) TO \(Self.literal(result.path)) (FORMAT csv, HEADER true);",
        ]
        return lines.joined(separator: "\n") + "\n"
    }

    /// `CREATE VIEW "zone"."name" AS SELECT <typed columns> FROM read_csv(<file>, <columns as read>)`.
    private func view(_ input: Input) throws -> String {
        var read: [String] = []
        var select: [String] = []
        for name in input.columns {
            let column = input.contract?.columns.first { $0.name == name }
            let identifier = try SQLStep.quoted(name, in: input.dataset)
            let (type, expression) = Self.reading(identifier, as: column)
            read.append("\(Self.literal(name)): \(Self.literal(type))")
            select.append("\(expression) AS \(identifier)")
        }
        let name = "\(try SQLStep.quoted(input.dataset.zone)).\(try SQLStep.quoted(input.dataset.name))"
        // The columns and their types are given; the sniffer is left on (without its row estimate DuckDB's planner
        // may build a join's hash table on the larger input: twice the time and four times the memory at 10 M
        // rows). No `null_padding`: its parallel reader refuses quoted line breaks.
        let options =
            "header = true, delim = ',', quote = '\"', escape = '\"', columns = {\(read.joined(separator: ", "))}"
        return
            "CREATE VIEW \(name) AS SELECT \(select.joined(separator: ", ")) FROM read_csv(\(Self.literal(input.file.path)), \(options));"
    }

    /// How a column is read from the file and what the view makes of it: the SQL type a field of the
    /// contract's type means in Sluice's embedded engine too (`bool` in every accepted spelling; timestamps
    /// with any offset as UTC; dates and timestamps with a `format:` arrive in their canonical text, see
    /// `DuckDBStep`), exact `DECIMAL`s for decimals with a `scale:`.
    static func reading(_ identifier: String, as column: ColumnSpec?) -> (type: String, expression: String) {
        switch column?.type {
        case .int: return ("BIGINT", identifier)
        case .decimal: return (column?.scale.map { "DECIMAL(38, \($0))" } ?? "DOUBLE", identifier)
        case .date: return ("DATE", identifier)
        case .timestamp: return ("VARCHAR", "CAST(CAST(\(identifier) AS TIMESTAMPTZ) AS TIMESTAMP)")
        case .bool:
            return (
                "VARCHAR",
                "CASE WHEN lower(\(identifier)) IN ('true', 't', 'yes', 'y', '1') THEN true"
                    + " WHEN lower(\(identifier)) IN ('false', 'f', 'no', 'n', '0') THEN false END"
            )
        case .string, nil: return ("VARCHAR", identifier)
        }
    }

    /// A SQL string literal: `'` doubled (DuckDB reads no other escapes in a plain literal).
    static func literal(_ text: String) -> String {
        "'" + text.replacingOccurrences(of: "'", with: "''") + "'"
    }
}
