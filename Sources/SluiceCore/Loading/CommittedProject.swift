import Foundation

/// The project as committed in git, for a service that runs what was reviewed and committed rather than
/// whatever the work tree holds: its declarations and its steps' files come from a private copy of the commit
/// (`codeRoot`), its store, landing folders and git from the work tree (`root`).
public enum CommittedProject {
    /// The project at `revision` of the repository holding `root`, validated; the copy's folder (to remove
    /// once nothing runs from it) with it. Throws `UsageError` naming the commit when it is not valid.
    public static func load(
        root: URL, revision: String = "HEAD", git: any GitInspector, files: any ProjectFileReader
    ) throws -> (project: Project, folder: URL) {
        let (folder, commit) = try git.projectFiles(at: revision, of: root)
        do {
            var project = try ProjectLoader(files: files).loadValidated(root: folder).project
            project.codeRoot = project.root
            project.root = root
            project.committed = commit
            // Committed code, read by the steps' own users: its folders may be entered by anyone.
            chmod(unpacked(folder).path, 0o755)
            return (project, unpacked(folder))
        } catch let error as ProjectError {
            try? FileManager.default.removeItem(at: unpacked(folder))
            throw UsageError(
                "the project committed at \(commit.prefix(12)) is not valid:\n\(error)",
                hint: "sluice validate in a checkout of that commit shows where")
        } catch {
            try? FileManager.default.removeItem(at: unpacked(folder))
            throw error
        }
    }

    /// The temporary folder a revision was unpacked into (the project may sit in a subfolder of it).
    public static func unpacked(_ folder: URL) -> URL {
        var url = folder
        while !url.lastPathComponent.hasPrefix("sluice-rev-") && url.pathComponents.count > 2 {
            url.deleteLastPathComponent()
        }
        return url
    }
}
