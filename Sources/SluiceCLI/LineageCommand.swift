import ArgumentParser
import Foundation
import SluiceCore

struct LineageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lineage",
        abstract: "How a dataset version was made (upstream) and what was made from it (downstream).")

    enum Format: String, ExpressibleByArgument {
        case text, json, openlineage
    }

    @Argument(help: "DATASET or DATASET@VERSION (a version id prefix).")
    var reference: String

    @Option(help: "The environment whose version to start from (default: the project's default).")
    var env: String?

    @Flag(help: "Only what it was made from.")
    var upstream = false

    @Flag(help: "Only what was made from it.")
    var downstream = false

    @Option(help: "text, json, or openlineage (RunEvents, one JSON object per line).")
    var format: Format = .text

    @OptionGroup var projectOptions: ProjectOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let engine = try await projectOptions.engine()
        var directions: LineageDirections = []
        if upstream { directions.insert(.upstream) }
        if downstream { directions.insert(.downstream) }
        if directions.isEmpty { directions = [.upstream, .downstream] }
        let format = output.json ? .json : format
        if format == .openlineage {
            for event in try await engine.openLineageEvents(reference, in: env, directions: directions) {
                print(String(decoding: event, as: UTF8.self))
            }
            return
        }
        let root = try await engine.lineage(reference, in: env, directions: directions)
        switch format {
        case .json, .openlineage: try Terminal.json(root)
        case .text:
            print(Self.describe(root))
            if !root.upstream.isEmpty || directions.contains(.upstream) {
                for (index, child) in root.upstream.enumerated() {
                    printTree(child, prefix: "", last: index == root.upstream.count - 1, arrow: "from")
                }
            }
            for (index, child) in root.downstream.enumerated() {
                printTree(child, prefix: "", last: index == root.downstream.count - 1, arrow: "into")
            }
        }
    }

    private func printTree(_ node: LineageNode, prefix: String, last: Bool, arrow: String) {
        print("\(prefix)\(last ? "└─" : "├─") \(arrow) \(Self.describe(node))")
        let children = arrow == "from" ? node.upstream : node.downstream
        for (index, child) in children.enumerated() {
            printTree(child, prefix: prefix + (last ? "   " : "│  "), last: index == children.count - 1, arrow: arrow)
        }
    }

    static func describe(_ node: LineageNode) -> String {
        let name = "\(node.dataset)@\(node.version.short)"
        guard let made = node.made else { return "\(name)  \(node.origin ?? "no recorded origin")" }
        return "\(name)  made by \(made.pipeline).\(made.step) in run \(made.runID)"
            + " (git \(made.gitCommit.map { String($0.prefix(12)) } ?? "none"), engine \(made.engineVersion), cache key \(made.cacheKey.prefix(12)))"
    }
}
