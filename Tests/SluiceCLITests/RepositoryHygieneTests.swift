import Foundation
import SluiceTestSupport
import Testing

/// Issue 23 item 9: the repository names no package registry's or mirror's host (scripts take the machine's own
/// mirrors, from its apt sources), whatever file a change touches.
@Suite struct RepositoryHygieneTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Hosts of package registries and their mirrors, spelt in pieces so that this file does not name them.
    static let hosts = [
        ["deb", "debian", "org"], ["archive", "ubuntu", "com"], ["pypi", "org"], ["files", "pythonhosted", "org"],
        ["registry", "npmjs", "org"], ["crates", "io"], ["proxy", "golang", "org"], ["docker", "io"],
        ["ghcr", "io"], ["quay", "io"], ["repo", "maven", "apache", "org"],
    ].map { $0.joined(separator: ".") }

    @Test func noFileNamesARegistryHost() throws {
        let git = Process()
        git.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        git.arguments = ["git", "-C", Self.root.path, "ls-files", "-z"]
        let files = String(decoding: try ProcessCapture.run(git).stdout, as: UTF8.self).split(separator: "\0")
        try #require(files.count > 100, "the repository's files are listed")
        var found: [String] = []
        for file in files {
            guard let text = try? String(contentsOf: Self.root.appendingPathComponent(String(file)), encoding: .utf8)
            else { continue }
            for host in Self.hosts where text.localizedCaseInsensitiveContains(host) {
                found.append("\(file): \(host)")
            }
        }
        #expect(found.isEmpty, "\(found)")
    }
}
