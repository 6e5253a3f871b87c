import Foundation
import Logging
import ServiceLifecycle
import SluiceCore

/// Follows the project's branch: every few seconds it reads the work tree's HEAD, and a new commit's project,
/// once valid, goes in force for every request and run that starts after (runs going on finish with the one
/// they started with). A commit whose project is not valid is refused, once, and the one before stays.
struct GitFollower: Service {
    let inForce: ProjectInForce
    let root: URL
    let git: any GitInspector
    let files: any EngineFiles
    let logger: Logger
    var interval: Duration = .seconds(5)

    func run() async throws {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                break
            }
            await follow()
        }
    }

    /// One look at HEAD.
    func follow() async {
        guard inForce.current.committed != nil, let head = await git.state(of: root).commit,
            head != inForce.current.committed, !inForce.wasRefused(head)
        else { return }
        let (root, git, files) = (self.root, self.git, self.files)
        do {
            let (project, folder) = try await Blocking.run {
                try CommittedProject.load(root: root, revision: head, git: git, files: files)
            }
            inForce.replace(with: project, folder: folder)
            logger.notice(
                "the project committed at \(head.prefix(12)) is in force",
                metadata: ["event.action": "project-followed", "git.commit": "\(head)"])
        } catch {
            let reason =
                "commit \(head.prefix(12)) was refused, \(inForce.current.committed?.prefix(12) ?? "") stays in force: \(error)"
            if inForce.refuse(head, because: reason) {
                logger.error("\(reason)", metadata: ["event.action": "project-refused", "git.commit": "\(head)"])
            }
        }
    }
}
