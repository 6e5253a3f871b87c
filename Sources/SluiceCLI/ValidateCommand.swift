import ArgumentParser
import SluiceCore
import SluiceStore

struct ValidateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "validate", abstract: "Check the project and report every problem as file:line:column.")

    @OptionGroup var projectOptions: ProjectOptions
    @OptionGroup var output: OutputOptions

    struct Report: Encodable {
        var valid: Bool
        var diagnostics: [Diagnostic]
    }

    func run() async throws {
        let (project, diagnostics) = try ProjectLoader(files: LocalFileSource()).load(root: projectOptions.root())
        let sorted = diagnostics.sorted(by: Diagnostic.ordered)
        let errors = sorted.filter { $0.severity == .error }
        if output.json {
            try Terminal.json(Report(valid: errors.isEmpty, diagnostics: sorted))
        } else {
            for diagnostic in sorted { print(diagnostic) }
            if errors.isEmpty, let project {
                print(
                    "\(project.name) is valid: \(project.zones.count) zones, \(project.environments.count) environments, "
                        + "\(project.datasets.count) datasets, \(project.sources.count) sources, \(project.pipelines.count) pipelines"
                        + (sorted.isEmpty ? "" : ", \(sorted.count) warnings"))
            } else {
                print("\(errors.count) error\(errors.count == 1 ? "" : "s") in the project")
            }
        }
        if !errors.isEmpty { throw ExitCode(ExitStatus.usage.rawValue) }
    }
}
