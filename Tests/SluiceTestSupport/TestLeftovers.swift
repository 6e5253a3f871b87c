import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Processes and folders that must not outlive the test process, whichever way a test ends: a shared fixture's
/// service (a `static` that is never released), a service whose owner a failing test leaked. When the test
/// process exits, every registered process (or process group) still running gets SIGTERM, then SIGKILL a
/// moment later, and every registered folder is removed. Owners still stop and remove their own as soon as they
/// can; this is the net under them.
public enum TestLeftovers {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var processes: [Process] = []
    nonisolated(unsafe) private static var groups: [pid_t] = []
    nonisolated(unsafe) private static var folders: [URL] = []
    private static let installed: Bool = {
        atexit { TestLeftovers.cleanUp() }
        return true
    }()

    /// Stops `process` at exit if it is still running then.
    public static func track(_ process: Process) {
        lock.withLock {
            _ = installed
            processes.removeAll { !$0.isRunning }
            processes.append(process)
        }
    }

    /// Kills the process group `group` at exit (a browser and the helpers it started).
    public static func track(group: pid_t) {
        lock.withLock {
            _ = installed
            groups.append(group)
        }
    }

    /// Removes `folder` at exit.
    public static func track(folder: URL) {
        lock.withLock {
            _ = installed
            folders.append(folder)
        }
    }

    private static func cleanUp() {
        let (running, groups, folders) = lock.withLock { (processes.filter(\.isRunning), Self.groups, Self.folders) }
        for process in running { kill(process.processIdentifier, SIGTERM) }
        for group in groups { kill(-group, SIGKILL) }
        let deadline = Date().addingTimeInterval(5)
        while running.contains(where: \.isRunning), Date() < deadline { usleep(50_000) }
        for process in running where process.isRunning { kill(process.processIdentifier, SIGKILL) }
        for folder in folders { try? FileManager.default.removeItem(at: folder) }
    }
}
