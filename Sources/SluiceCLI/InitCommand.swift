import ArgumentParser
import Foundation
import SluiceCore

struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init", abstract: "Write a small, valid project into a folder.")

    @Argument(help: "The folder (default: the current one).")
    var directory: String?

    func run() async throws {
        let folder = URL(fileURLWithPath: directory ?? FileManager.default.currentDirectoryPath).standardizedFileURL
        try ProjectScaffold.write(to: folder, name: ProjectScaffold.name(for: folder))
        print("Created a Sluice project in \(folder.path)")
        print(
            "Next: put CSV files in landing/orders/ and landing/customers/, then `sluice validate` and `sluice ingest orders_drop`."
        )
    }
}
