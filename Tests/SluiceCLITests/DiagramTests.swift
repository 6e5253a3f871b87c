import Foundation
import SluiceTestSupport
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// Issue 15 item 1: `sluice diagram` in every format, pinned by golden files for the demo project (the one
/// `sluice init` writes, named demo); the SVG is well-formed XML with every hostile text escaped.
/// `SLUICE_UPDATE_GOLDEN=1 swift test --filter DiagramTests` rewrites the golden files after a deliberate change.
@Suite struct DiagramTests {
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    static func demo() throws -> CLIProject {
        let project = try CLIProject()
        try project.edit("sluice.yaml") { $0.replacing(/\nproject: [a-z0-9_-]+\n/, with: "\nproject: demo\n") }
        return project
    }

    @Test(arguments: ["svg", "dot", "mermaid"]) func theDemoProjectMatchesItsGoldenFile(_ format: String) throws {
        let project = try Self.demo()
        let drawn = try project.sluice.run(["diagram", "--env", "prod", "--format", format])
        #expect(drawn.status == 0, "\(drawn.stderr)")
        let file = Self.golden.appendingPathComponent("diagram-demo-prod.\(format)")
        if ProcessInfo.processInfo.environment["SLUICE_UPDATE_GOLDEN"] == "1" {
            try Data(drawn.stdout.utf8).write(to: file)
        }
        let expected = try String(contentsOf: file, encoding: .utf8)
        #expect(drawn.stdout == expected, "sluice diagram --format \(format) differs from \(file.lastPathComponent)")
        #expect(drawn.stderr.contains("policy finding"))
    }

    @Test func graphvizReadsTheDotOutput() throws {
        let project = try Self.demo()
        let drawn = try project.sluice.run(["diagram", "--env", "prod", "--format", "dot"])
        let dot = try #require(ExternalTool(["/usr/bin/dot"]), "the test command installs graphviz")
        let (status, output) = try dot.run(["-Tsvg"], input: Data(drawn.stdout.utf8))
        #expect(status == 0, "dot refused the output: \(output.prefix(500))")
        #expect(output.contains("staged.orders"))
    }

    @Test func theSVGIsWellFormedAndEscapesHostileText() throws {
        let project = try Self.demo()
        try project.edit("sluice.yaml") {
            $0.replacingOccurrences(
                of: "path: landing/orders/*.csv", with: #"path: "landing/<script>alert(1)</script>&\"x'/*.csv""#)
        }
        let out = project.folder.appendingPathComponent("flow.svg")
        let drawn = try project.sluice.run(["diagram", "--output", out.path])
        #expect(drawn.status == 0, "\(drawn.stderr)")
        let data = try Data(contentsOf: out)
        let parser = XMLParser(data: data)
        #expect(parser.parse(), "the SVG is not well-formed: \(parser.parserError.map { "\($0)" } ?? "")")
        let text = String(decoding: data, as: UTF8.self)
        #expect(!text.contains("<script"))
        #expect(text.contains("&lt;script&gt;alert(1)&lt;/script&gt;&amp;&quot;x&apos;"))
    }

    @Test func aProjectWithErrorsIsStillDrawnAndItsFindingsListed() throws {
        let project = try Self.demo()
        try project.edit("sluice.yaml") {
            $0.replacingOccurrences(
                of: "pipelines:\n",
                with:
                    "pipelines:\n  back:\n    steps:\n      undo: { command: [\"true\"], inputs: [curated.revenue_by_country], output: staged.orders }\n"
            )
        }
        #expect(try project.sluice.run(["validate"]).status != 0)
        let drawn = try project.sluice.run(["diagram", "--format", "mermaid"])
        #expect(drawn.status == 0, "\(drawn.stderr)")
        #expect(drawn.stderr.contains("errors (sluice validate lists them); drawn as declared"))
        #expect(
            drawn.stderr.contains(
                "backward-flow: back.undo writes staged.orders (zone staged) from curated.revenue_by_country"))
        #expect(drawn.stdout.contains("%% finding backward-flow"))
        let refused = try project.sluice.run(["diagram", "--env", "bad env"])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("is not an environment name"))
    }
}
