import Foundation
import SluiceCore

/// The files a deployment needs of a project: `sluice.yaml` and the `datasets/`, `pipelines/`, `models/` and
/// `tests/` folders (never the store, git's folder or landing data), at most 900 KiB in all (a ConfigMap holds 1 MiB).
enum ProjectFiles {
    static let folders = ["datasets", "pipelines", "models", "tests"]
    static let limit = 900 * 1024

    static func read(_ root: URL) throws -> [String: String] {
        var files: [String: String] = [:]
        var total = 0
        var paths = [ProjectLoader.projectFileName]
        for folder in folders {
            let base = root.appendingPathComponent(folder)
            guard let walker = FileManager.default.enumerator(at: base, includingPropertiesForKeys: [.isRegularFileKey])
            else { continue }
            for case let url as URL in walker
            where (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
                paths.append(folder + "/" + url.path.dropFirst(base.path.count + 1))
            }
        }
        for path in paths.sorted() {
            let data = try Data(contentsOf: root.appendingPathComponent(path))
            guard let text = String(data: data, encoding: .utf8) else {
                throw UsageError("\(path) is not UTF-8 text; a ConfigMap holds text only")
            }
            total += data.count
            guard total <= limit else {
                throw UsageError(
                    "the project's files pass 900 KiB, more than a ConfigMap holds",
                    hint: "keep test fixtures small, or build them into the image")
            }
            files[path] = text
        }
        return files
    }
}
