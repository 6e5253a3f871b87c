/// Which engine runs a `sql` step's SELECT (`engine:` on the step, or `sql: { engine: }` for the project).
public enum SQLEngine: String, Sendable, Hashable, CaseIterable, Codable {
    /// SQLite, embedded in Sluice: the default, and all a project needs on one machine.
    case sqlite
    /// The `duckdb` command-line program, run as a subprocess (`SLUICE_DUCKDB`, or `duckdb` on `PATH`).
    case duckdb

    /// The spelling a message lists the choices in.
    public static let choices = allCases.map(\.rawValue).joined(separator: ", ")
}

/// `sql:` in the project file: the engine sql steps use unless they name one, and the limits DuckDB runs with.
public struct SQLSettings: Sendable, Hashable {
    public var engine: SQLEngine = .sqlite
    /// DuckDB's `memory_limit` as DuckDB spells it (`2GB`, `512MiB`); DuckDB's own default when absent.
    public var duckdbMemoryLimit: String?
    /// DuckDB's `threads`; DuckDB's own default (every core) when absent.
    public var duckdbThreads: Int?

    public init() {}

    /// `2GB`, `1.5 GiB`, `512MB`: a number and a unit DuckDB reads.
    public static func isMemoryLimit(_ text: String) -> Bool {
        let units = ["KB", "MB", "GB", "TB", "KIB", "MIB", "GIB", "TIB"]
        let trimmed = text.uppercased().filter { $0 != " " }
        guard let unit = units.first(where: { trimmed.hasSuffix($0) }) else { return false }
        let number = trimmed.dropLast(unit.count)
        return !number.isEmpty && number.count <= 12 && Double(number).map { $0 > 0 } == true
            && number.allSatisfy { $0.isASCII && ($0.isNumber || $0 == ".") }
    }
}
