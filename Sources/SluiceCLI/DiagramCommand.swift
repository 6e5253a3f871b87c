import ArgumentParser
import Foundation
import SluiceCore
import SluiceStore

/// `sluice diagram`: the project's data flow with its access policies and policy findings.
struct DiagramCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diagram",
        abstract: "Draw the data flow with who may read and write each dataset, and the policy findings.",
        discussion: """
            Zones are bands in flow order (sources, then each zone with the steps writing it; quarantine below \
            the first zone). Each dataset shows its classification, PII, lifecycle and the roles that may read and \
            write it in --env; each step whom it runs as there. Policy findings (a principal other than the \
            pipeline able to change a protected environment, sensitive data readable by a role that only reads, a \
            path into a protected environment that skips a gate, an output without a contract, a dataset nothing \
            reads, a flow against the zone order) are drawn in red and listed. Drawn from the project's files, \
            even when they have errors.
            """)

    enum Format: String, ExpressibleByArgument, CaseIterable {
        case svg, dot, mermaid
    }

    @Option(help: "The environment whose access to show (default: the project's default environment).")
    var env: String?

    @Option(help: "svg (drawn by Sluice), dot (Graphviz) or mermaid.")
    var format: Format = .svg

    @Option(help: "The file to write (default: standard output).")
    var output: String?

    @OptionGroup var projectOptions: ProjectOptions

    func validate() throws {
        if let env, !NameRules.isEnvironmentPattern(env) {
            throw ValidationError("--env \(NameRules.quoted(env)) is not an environment name")
        }
    }

    func run() async throws {
        let root = projectOptions.root()
        let (loaded, diagnostics) = try ProjectLoader(files: LocalFileSource()).load(root: root)
        guard let project = loaded else { throw ProjectError(diagnostics) }
        let errors = diagnostics.filter { $0.severity == .error }.count
        if errors > 0 {
            Terminal.warn("the project has \(errors) errors (sluice validate lists them); drawn as declared")
        }
        let model = DataFlowModel(project: project, environment: env ?? project.defaultEnvironment)
        let text: String
        switch format {
        case .svg: text = SVGDiagram(model: model).render()
        case .dot: text = DotDiagram(model: model).render()
        case .mermaid: text = MermaidDiagram(model: model).render()
        }
        if let output {
            try Data(text.utf8).write(to: URL(fileURLWithPath: output), options: .atomic)
        } else {
            print(text, terminator: "")
        }
        Terminal.warn(
            model.findings.isEmpty
                ? "no policy findings"
                : "\(model.findings.count) policy findings:\n"
                    + model.findings.map { "  \($0)" }.joined(separator: "\n"))
    }
}
