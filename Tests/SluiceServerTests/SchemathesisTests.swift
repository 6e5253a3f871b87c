import Foundation
import SluiceTestSupport
import Testing

/// Issue 24 item 5: the served API checked against its OpenAPI document by an independent tool. Schemathesis
/// (installed by the test command in its virtual environment) reads the document the service serves,
/// generates requests for every operation — valid and invalid, as the admin and with no token — and checks
/// that none answers 5xx and that every response has a documented status, content type, headers and body, and
/// that requests without a token are answered as the document's optional security says. Skipped
/// where that virtual environment is missing.
@Suite("Schemathesis", .serialized)
struct SchemathesisTests {
    static let tool = ExternalTool.venv("schemathesis")
    /// The checks that hold each answer to what the document says of it: status, content type, headers, body,
    /// and authentication. Left out: positive_data_acceptance (a well-formed name of nothing, or text with a
    /// control character, is a 400 here by design), negative_data_rejection and the stateful checks.
    static let checks = [
        "not_a_server_error", "response_schema_conformance", "status_code_conformance", "content_type_conformance",
        "response_headers_conformance", "missing_required_header", "ignored_auth",
    ]

    @Test(.enabled(if: Self.tool != nil), arguments: ["ops", nil])
    func everyOperationAnswersAsItsDocumentSays(_ principal: String?) throws {
        let served = try ServedProject()
        let tool = try #require(Self.tool)
        // Its caches (.hypothesis, .schemathesis) go in a folder of its own, removed after.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-st-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let base = "http://127.0.0.1:\(served.port)"
        var arguments = [
            "run", "\(base)/api/v1/openapi.json", "--url", base,
            "--checks", Self.checks.joined(separator: ","),
            "--max-examples", "15", "--workers", "1", "--seed", "24", "--no-color",
        ]
        if let principal, let token = served.project.tokens[principal] {
            arguments += ["-H", "Authorization: Bearer \(token)"]
        }
        let (status, output) = try tool.run(arguments, environment: ["NO_COLOR": "1"], in: folder)
        let summary = output.split(separator: "\n").filter {
            $0.contains("Selected:") || $0.contains("generated") || $0.contains("failed")
        }
        #expect(status == 0, "schemathesis found a failure:\n\(output.suffix(6_000))")
        #expect(output.contains("Selected: 37/37"), "every operation of the document is tested: \(summary)")
        let counts = try #require(
            output.firstMatch(of: #/(\d+) generated, (\d+) passed/#), "no test case was generated: \(summary)")
        #expect(Int(counts.1) ?? 0 > 500 && counts.1 == counts.2, "\(summary)")
    }
}
