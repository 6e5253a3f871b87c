import Foundation
import Testing

/// Issue 24: the architecture the README's Layout section and docs/architecture.md describe, held by the
/// code: outside SluiceCore (and the stores' own module) nothing calls a store, nothing asks the access policy
/// itself, and one place records refusals.
@Suite struct ArchitectureTests {
    static let sources = RepositoryHygieneTests.root.appendingPathComponent("Sources")
    static let outside = ["SluiceWeb", "SluiceServer", "SluiceRunner", "SluiceCLI", "SluiceClient", "SluiceQuality"]

    static func lines(in modules: [String]) throws -> [(file: String, number: Int, text: String)] {
        var found: [(String, Int, String)] = []
        for module in modules {
            let folder = sources.appendingPathComponent(module)
            guard let walker = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil) else {
                continue
            }
            for case let url as URL in walker where url.pathExtension == "swift" {
                let text = try String(contentsOf: url, encoding: .utf8)
                for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                    found.append(("\(module)/\(url.lastPathComponent)", index + 1, String(line)))
                }
            }
        }
        return found
    }

    @Test func nothingOutsideTheEngineCallsAStore() throws {
        let call = try Regex(#"\.(metadata|objects)\.[a-zA-Z]+\("#)
        // (A report's list of objects is no store.)
        let calls = try Self.lines(in: Self.outside).filter { $0.text.contains(call) && !$0.text.contains("report.") }
        #expect(calls.isEmpty, "\(calls.map { "\($0.file):\($0.number)" })")
    }

    @Test func nothingOutsideTheEngineAsksThePolicyItself() throws {
        let asks = try Regex(#"\bpolicy\.(require|check|is|mask|may|applied)"#)
        let found = try Self.lines(in: Self.outside).filter { $0.text.contains(asks) }
        #expect(found.isEmpty, "\(found.map { "\($0.file):\($0.number)" })")
    }

    /// An access refusal is recorded by `EngineContext.authorize` and nowhere else, a refused token by
    /// `IdentityResolver.resolveAudited` (as `authenticate`, for the command line and the service alike): no other
    /// block that catches `AccessDenied` records an audit event.
    @Test func oneBlockRecordsRefusals() throws {
        let all = try Self.lines(in: ["SluiceCore"] + Self.outside)
        var recording: [String] = []
        for (index, line) in all.enumerated() where line.text.contains("as AccessDenied") && line.text.contains("catch")
        {
            // The block: the lines after the `catch`, up to the brace that closes it.
            let indent = line.text.prefix { $0 == " " }.count
            let block = all[(index + 1)...].prefix {
                $0.file == line.file && $0.text.prefix { $0 == " " }.count > indent
            }.map(\.text)
            let records = ["record(", "recordRefusal(", "appendAudit("]
            if block.contains(where: { text in records.contains { text.contains($0) } }) {
                recording.append(line.file)
            }
        }
        #expect(
            recording.sorted() == ["SluiceCore/EngineContext+Authorize.swift", "SluiceCore/Identity.swift"],
            "\(recording)")
    }
}
