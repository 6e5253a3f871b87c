import ArgumentParser
import Foundation
import SluiceClient
import SluiceCore

struct IngestCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "ingest",
        abstract: "Snapshot a source's files into its raw dataset as a new version, committed to an environment.")

    @Argument(help: "The source, as declared under sources: in sluice.yaml.")
    var source: String

    @Option(help: "The environment to commit to (default: the project's default environment).")
    var env: String?

    @Option(name: .long, help: "Ingest this file instead of the source's path (repeatable).")
    var file: [String] = []

    @OptionGroup var projectOptions: ProjectOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let files = file.map { URL(fileURLWithPath: $0).standardizedFileURL }
        let result: IngestResult
        do {
            if try projectOptions.serverURL() != nil {
                // The service reads the source's landing path on its host, or the one file sent to it.
                guard files.count <= 1 else {
                    throw UsageError("in server mode, ingest sends at most one --file", hint: "one ingest per file")
                }
                result = try await projectOptions.engine().ingest(source: source, environment: env, upload: files.first)
            } else {
                result = try await projectOptions.workspace().ingest(source: source, environment: env, files: files)
            }
        } catch let failed as GateFailed where output.json {
            try Terminal.json(failed.report)
            throw ExitCode(ExitStatus.failed.rawValue)
        } catch let failed as RemoteError where output.json && failed.report != nil {
            try Terminal.json(failed.report)
            throw ExitCode(ExitStatus.failed.rawValue)
        }
        if output.json { return try Terminal.json(result) }
        if let quarantined = result.quarantined {
            print(result.report.summary)
            print(
                "\(result.report.invalidRows) invalid rows went to quarantine \(quarantined) (sluice quarantine show \(quarantined))"
            )
        } else if !result.report.warnings.isEmpty {
            print(result.report.summary)
        }
        if result.unchanged && result.files == 0 {
            print(
                "nothing new for \(result.source): every file there landed before; \(result.dataset) in \(result.environment) holds \(result.datasetRows) rows (version \(result.version.short))"
            )
        } else if result.unchanged {
            print(
                "\(result.dataset) in \(result.environment) already holds this data (version \(result.version.short)); nothing changed"
            )
        } else {
            print(
                "ingested \(result.files) file\(result.files == 1 ? "" : "s") into \(result.dataset) in \(result.environment): "
                    + "\(result.rows) rows\(result.datasetRows != result.rows ? " (\(result.datasetRows) in all)" : ""), "
                    + "\(Terminal.bytes(result.bytes)), version \(result.version.short), commit \(result.commit.short)"
            )
        }
        for warning in result.warnings { Terminal.warn(warning) }
    }
}
