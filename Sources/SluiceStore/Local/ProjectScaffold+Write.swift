import Foundation
import SluiceCore

extension ProjectScaffold {
    /// Writes the project into `folder`; refuses to overwrite an existing `sluice.yaml`.
    public static func write(to folder: URL, name: String) throws {
        let manager = FileManager.default
        let projectFile = folder.appendingPathComponent(ProjectLoader.projectFileName)
        guard !manager.fileExists(atPath: projectFile.path) else {
            throw UsageError("\(projectFile.path) already exists", hint: "pick an empty folder: sluice init DIR")
        }
        try manager.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data(projectYAML(name: name).utf8).write(to: projectFile)
        for (path, content) in files {
            let url = folder.appendingPathComponent(path)
            try manager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(content.utf8).write(to: url)
        }
    }
}
