import Foundation

/// A command argument that names something in the project (`scripts/report.py`): relative, not an option,
/// shaped like a path, existing, and inside the project. The executor passes it as an absolute path; the
/// cache key hashes it when it is a file.
public enum ProjectPath {
    public static func resolve(
        _ argument: String, root: URL, files: any ProjectFileReader
    ) -> (url: URL, isDirectory: Bool)? {
        guard !argument.hasPrefix("/"), !argument.hasPrefix("-"), argument.contains("/") || argument.contains(".")
        else { return nil }
        let candidate = root.appendingPathComponent(argument).standardizedFileURL
        guard candidate.path.hasPrefix(root.standardizedFileURL.path + "/"),
            let kind = files.kindFollowingLinks(of: candidate.path)
        else { return nil }
        return (candidate, kind == .directory)
    }
}
