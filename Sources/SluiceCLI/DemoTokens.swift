import Foundation
import SluiceCore

/// The demo's three token secrets, kept so that a person can carry on after `sluice demo`: sign in to the web
/// UI as ops, act as ci or alice on the command line. A file only its owner can read, inside the demo folder
/// and ignored by its git (`prepare` lists it in `.gitignore` before the first commit), in shell syntax:
/// `. ./demo-tokens.env` sets `SLUICE_TOKEN_OPS`, `SLUICE_TOKEN_CI` and `SLUICE_TOKEN_ALICE`.
struct DemoTokens {
    static let fileName = "demo-tokens.env"

    var secrets: [(principal: String, secret: String)]

    /// Writes the file (mode 0600, created anew: never through a link someone left); its URL.
    func write(in folder: URL) throws -> URL {
        let url = folder.appendingPathComponent(Self.fileName)
        let lines =
            ["# The demo's token secrets: keep them to yourself. In a shell: . ./\(Self.fileName)"]
            + secrets.map { "SLUICE_TOKEN_\($0.principal.uppercased())=\($0.secret)" }
        try? FileManager.default.removeItem(at: url)
        guard
            FileManager.default.createFile(
                atPath: url.path, contents: Data((lines.joined(separator: "\n") + "\n").utf8),
                attributes: [.posixPermissions: 0o600])
        else { throw UsageError("cannot write \(url.path)", hint: "check that the demo folder is writable") }
        return url
    }
}
