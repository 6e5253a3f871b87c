import Foundation

/// Where the demo lives in relation to other git work trees.
enum DemoFolder {
    /// When `folder` lies inside another git work tree (the demo run from a clone, say), lists it in that
    /// repository's own `info/exclude` (local, never committed), so that the demo — a repository of its own —
    /// is not left there as an untracked folder. Returns the exclude file's path when it listed it.
    static func excludeFromEnclosingRepository(_ folder: URL) -> String? {
        let parent = folder.deletingLastPathComponent()
        guard let top = git(["rev-parse", "--show-toplevel"], in: parent),
            let exclude = git(["rev-parse", "--path-format=absolute", "--git-path", "info/exclude"], in: parent)
        else { return nil }
        let root = URL(fileURLWithPath: top).resolvingSymlinksInPath().path + "/"
        let path = folder.resolvingSymlinksInPath().path
        guard path.hasPrefix(root) else { return nil }
        let line = "/" + path.dropFirst(root.count) + "/"
        let existing = (try? String(contentsOfFile: exclude, encoding: .utf8)) ?? ""
        if existing.split(separator: "\n").contains(Substring(line)) { return exclude }
        let separator = existing.isEmpty || existing.hasSuffix("\n") ? "" : "\n"
        try? FileManager.default.createDirectory(
            at: URL(fileURLWithPath: exclude).deletingLastPathComponent(), withIntermediateDirectories: true)
        guard (try? Data((existing + separator + line + "\n").utf8).write(to: URL(fileURLWithPath: exclude))) != nil
        else { return nil }
        return exclude
    }

    /// What git printed (trimmed), or `nil` when it failed or is not installed.
    private static func git(_ arguments: [String], in folder: URL) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", folder.path] + arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return nil }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }
}
