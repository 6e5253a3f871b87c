import Foundation
import SluiceTestSupport
import Testing

/// Issue 23 item 1: after `sluice demo` a person can carry on. The demo keeps its three token secrets in a file
/// only its owner reads, inside the demo and ignored by git; it ends with three next steps that work as printed
/// (the binary's own path when `sluice` is not on the PATH); ops signs in to the served demo in a real browser
/// with the saved secret; and the repository the demo was run from is left without an untracked folder.
@Suite struct DemoCarryOnTests {
    @Test func theDemoLeavesTokensAndNextStepsThatWork() async throws {
        let outer = try CLIProject()  // a git repository someone runs the demo in
        let demo = try outer.sluice.run(["demo"])
        #expect(demo.status == 0, "\(demo.stderr)")
        let folder = outer.folder.appendingPathComponent("sluice-demo")
        let tokens = folder.appendingPathComponent("demo-tokens.env")
        let mode = try FileManager.default.attributesOfItem(atPath: tokens.path)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        #expect(demo.stdout.contains("saved in \(tokens.path)"))
        #expect(try Self.git(["status", "--porcelain"], in: outer.folder).isEmpty, "the demo left an untracked folder")
        #expect(try Self.git(["status", "--porcelain"], in: folder).isEmpty, "the demo's own tree is not clean")
        // The last step, exactly as printed (from the folder the demo was run in).
        let next = try #require(demo.stdout.range(of: "\nNext:\n"), "\(demo.stdout)")
        let lines = demo.stdout[next.upperBound...].split(separator: "\n").map(String.init)
        let last = try #require(lines.count == 6 ? lines[5] : nil, "\(lines)")
        #expect(
            last.hasPrefix("     cd ") && !last.contains(" sluice run"), "a bare sluice is not on this PATH: \(last)")
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/bin/sh")
        shell.arguments = ["-c", last]
        shell.currentDirectoryURL = outer.folder
        let ran = try ProcessCapture.run(shell)
        #expect(ran.status == 0, "\(last): \(String(decoding: ran.stderr, as: UTF8.self))")
        try await Self.signIn(folder: folder, tokens: tokens)
    }

    /// Serves the demo and signs in as ops in a real browser with the saved secret.
    static func signIn(folder: URL, tokens: URL) async throws {
        guard HeadlessBrowser.available else { return }
        let text = try String(contentsOf: tokens, encoding: .utf8)
        let line = try #require(text.split(separator: "\n").first { $0.hasPrefix("SLUICE_TOKEN_OPS=") })
        let (process, port) = try ServedProject.serve(SluiceBinary(folder: folder))
        defer {
            process.terminate()
            process.waitUntilExit()
        }
        let browser = try HeadlessBrowser()
        try browser.signIn(base: "http://127.0.0.1:\(port)", token: String(line.dropFirst("SLUICE_TOKEN_OPS=".count)))
        let page = try browser.load("http://127.0.0.1:\(port)/ui/audit")
        #expect(page.text.contains("ops") && page.text.contains("Audit"), "\(page.text.prefix(400))")
        #expect(page.errors.isEmpty, "\(page.errors)")
    }

    static func git(_ arguments: [String], in folder: URL) throws -> String {
        let git = Process()
        git.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        git.arguments = ["git", "-C", folder.path] + arguments
        return String(decoding: try ProcessCapture.run(git).stdout, as: UTF8.self)
    }
}
