import Foundation
import SluiceCore
import SluiceQuality

/// A `sql` step on DuckDB (`engine: duckdb`): the `duckdb` program runs `DuckDBScript` as the step's process
/// (as the step user, in its own process group, under its timeout), then `DuckDBResult` writes the output.
struct DuckDBStep {
    let job: StepJob
    let file: URL

    /// Starts a program with arguments and extra variables; returns how it ended.
    typealias Launch = (String, [String], [String: String]) async throws -> StepExecution

    /// Runs the step with the program `environment` names (`SLUICE_DUCKDB`, else `duckdb` on its `PATH`).
    func run(locating environment: [String: String], launch: Launch) async throws -> StepExecution {
        guard job.step.outputs.count == 1, let output = job.step.outputs.first, let target = job.outputs[output] else {
            return StepExecution(exitCode: nil, failure: "a sql step writes exactly one output")
        }
        let program: DuckDBProgram
        let script: DuckDBScript
        let scriptFile = job.directory.appendingPathComponent("duckdb-script.sql")
        do {
            program = try await Blocking.run { try DuckDBProgram.locate(environment: environment) }
            script = try await Blocking.run { try prepare() }
            try Data(try script.text().utf8).write(to: scriptFile)
        } catch let error as DuckDBMissing {
            return StepExecution(exitCode: nil, failure: error.message)
        } catch let error as SQLStepError {
            return StepExecution(exitCode: nil, failure: error.message, stderr: Data((error.message + "\n").utf8))
        }
        var execution = try await launch(
            program.path, ["-batch", "-bail", "-no-init", "-f", scriptFile.path], ["HOME": job.directory.path])
        execution.engine = program.engine
        guard execution.succeeded else {
            execution.failure = failure(execution)
            return execution
        }
        do {
            let rows = try await Blocking.run {
                try DuckDBResult(contract: job.contracts[output]).write(
                    result: script.result, types: script.types, to: target)
            }
            execution.stdout.append(Data("\(program.engine)\nwrote \(output): \(rows) rows\n".utf8))
        } catch let error as SQLStepError {
            execution.failure = error.message
        }
        return execution
    }

    /// Why DuckDB failed, in its own words: the first line of what it printed, naming the step's file.
    private func failure(_ execution: StepExecution) -> String {
        guard execution.exitCode != nil else { return execution.failure ?? "DuckDB failed" }
        let printed = String(decoding: execution.stderr.prefix(4096), as: UTF8.self)
        let first =
            printed.split(separator: "\n").first.map(String.init) ?? "exited with status \(execution.exitCode ?? -1)"
        return "DuckDB error in \(file.lastPathComponent): \(first)"
    }

    /// Copies the step's SQL into its folder, reads each input's header (and writes a canonical copy of an input
    /// whose contract gives a date or timestamp a `format:`), and makes the script.
    private func prepare() throws -> DuckDBScript {
        let query = job.directory.appendingPathComponent("duckdb-query.sql")
        let sql: Data
        do {
            sql = try Data(contentsOf: file)
        } catch {
            throw SQLStepError("cannot read \(file.path): \(error.localizedDescription)")
        }
        guard String(data: sql, encoding: .utf8) != nil, !sql.contains(0) else {
            throw SQLStepError("\(file.lastPathComponent) is not UTF-8 text")
        }
        try sql.write(to: query)
        var inputs: [DuckDBScript.Input] = []
        for (dataset, url) in job.inputs.sorted(by: { $0.key.description < $1.key.description }) {
            let contract = job.contracts[dataset]
            let reader = CSVReader(source: try FileByteSource(url: url))
            guard try reader.next() else { continue }  // an empty file has no columns: no view, as in SQLite
            let columns = (0..<reader.fieldCount).map { reader.field($0) }
            let formats = columns.map { name in contract?.columns.first { $0.name == name && $0.format != nil } }
            var file = url
            if formats.contains(where: { $0 != nil }) {
                file = job.directory.appendingPathComponent("\(dataset).canonical.csv")
                try CanonicalCopy(columns: formats).write(from: url, to: file)
            }
            inputs.append(DuckDBScript.Input(dataset: dataset, file: file, columns: columns, contract: contract))
        }
        return DuckDBScript(inputs: inputs, query: query, folder: job.directory, settings: job.sql)
    }
}
