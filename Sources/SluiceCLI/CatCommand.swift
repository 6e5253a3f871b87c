import ArgumentParser
import Foundation
import SluiceCore

struct CatCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cat", abstract: "Stream a dataset version's data to standard output.")

    @Argument(help: "NAME or NAME@VERSION (a version id prefix of at least 4 hex digits).")
    var reference: String

    @Option(help: "The environment (default: the project's default environment).")
    var env: String?

    @OptionGroup var projectOptions: ProjectOptions

    func run() async throws {
        let output = FileHandle.standardOutput
        try await projectOptions.engine().stream(reference, in: env) { output.write($0) }
    }
}
