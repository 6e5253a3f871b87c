import Foundation

/// The `duckdb` program the tests run DuckDB steps with: `SLUICE_DUCKDB` (scripts/test.sh installs the
/// program into its virtual environment and sets it), or `duckdb` on `PATH`.
public enum DuckDBProgramForTests {
    public static let path: String? = {
        let environment = ProcessInfo.processInfo.environment
        if let configured = environment["SLUICE_DUCKDB"], FileManager.default.isExecutableFile(atPath: configured) {
            return configured
        }
        return (environment["PATH"] ?? "").split(separator: ":").map { "\($0)/duckdb" }.first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }()

    public static var available: Bool { path != nil }
}
