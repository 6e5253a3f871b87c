import Foundation
import SluiceTestSupport
import Testing

/// Issue 23 item 7: the README's short tour is true. Its commands are taken from the README as written and run
/// in order in one shell, on a fresh folder, with the sluice under test on the PATH (in place of the tour's
/// first line, the release build); each must exit as the README says: 0, unless its line says `[exit N]`.
@Suite struct ReadmeTourTests {
    static let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("README.md")

    /// The tour's lines: (line in the README, command, the exit status it documents).
    static func tour() throws -> [(line: Int, command: String, status: Int)] {
        let lines = try String(contentsOf: readme, encoding: .utf8).components(separatedBy: "\n")
        let heading = try #require(lines.firstIndex(of: "## A short tour"))
        let open = try #require(lines[heading...].firstIndex(of: "```sh"))
        let close = try #require(lines[(open + 1)...].firstIndex(of: "```"))
        return lines[(open + 1)..<close].enumerated().compactMap { offset, text in
            let command = text.components(separatedBy: "  #")[0].trimmingCharacters(in: .whitespaces)
            guard !command.isEmpty, !command.hasPrefix("#") else { return nil }
            let status = text.range(of: #"\[exit [0-9]+\]"#, options: .regularExpression).map {
                Int(text[$0].dropFirst(6).dropLast())!
            }
            return (open + 2 + offset, command, status ?? 0)
        }
    }

    @Test func theTourRunsAsWritten() throws {
        let tour = try Self.tour()
        let build = try #require(tour.first)
        #expect(build.command.hasPrefix("swift build -c release && export PATH="), "\(build.command)")
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-tour-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        // One shell for the whole tour (cd, exports and variables carry on), stopping at the first line that
        // exits otherwise than the README says.
        var script =
            "export PATH='\(SluiceBinary.url.deletingLastPathComponent().path)':\"$PATH\"\nunset SLUICE_TOKEN\n"
        for step in tour.dropFirst() {
            script += "echo '>>> README line \(step.line)'\n{ \(step.command)\n} >> \"$TOUR_LOG\" 2>&1\n"
            script += "s=$?; [ $s -eq \(step.status) ] || { echo \"line \(step.line) exited $s\"; exit 1; }\n"
        }
        let log = folder.appendingPathComponent("tour.log")
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/bin/bash")
        shell.arguments = ["-c", script]
        shell.currentDirectoryURL = folder
        shell.environment = ProcessInfo.processInfo.environment.merging([
            "TOUR_LOG": log.path, "GIT_AUTHOR_NAME": "Tour", "GIT_AUTHOR_EMAIL": "tour@example.com",
            "GIT_COMMITTER_NAME": "Tour", "GIT_COMMITTER_EMAIL": "tour@example.com", "SLUICE_QUIET_WARNINGS": "1",
        ]) { $1 }
        let ran = try ProcessCapture.run(shell)
        let output = String(decoding: ran.stdout, as: UTF8.self)
        let printed = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        #expect(ran.status == 0, "\(output.split(separator: "\n").last ?? "")\n\(printed.suffix(3_000))")
        #expect(tour.filter { $0.status != 0 }.map(\.status) == [1, 3, 3], "the documented refusals")
    }
}
