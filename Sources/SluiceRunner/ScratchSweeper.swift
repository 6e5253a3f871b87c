import Foundation
import SluiceCore

/// Removes the working folders (`sluice-run-RUN` under the scratch folder) that runs killed outright
/// left behind. Only folders of this store's runs that have ended, or were abandoned, and that nothing
/// touched since `cutoff`: the scratch folder is shared with other projects and live runs.
public enum ScratchSweeper {
    public static let prefix = "sluice-run-"

    /// The leftover folders; removed unless `dryRun`. `prefix` is what a folder's name holds before its run's id.
    public static func sweep(
        scratch: URL = FileManager.default.temporaryDirectory, prefix: String = Self.prefix, runs: [RunRecord],
        now: Timestamp, before cutoff: Timestamp, dryRun: Bool
    ) -> [URL] {
        let byID = Dictionary(runs.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        let names = (try? FileManager.default.contentsOfDirectory(atPath: scratch.path)) ?? []
        var swept: [URL] = []
        for name in names where name.hasPrefix(prefix) {
            guard let run = byID[String(name.dropFirst(prefix.count))],
                run.status != .running || run.isAbandoned(at: now) || processIsGone(run)
            else { continue }
            let folder = scratch.appendingPathComponent(name)
            let modified = (try? FileManager.default.attributesOfItem(atPath: folder.path)[.modificationDate]) as? Date
            guard let modified, Timestamp(modified) < cutoff else { continue }
            if !dryRun {
                makeWritable(folder)
                guard (try? FileManager.default.removeItem(at: folder)) != nil else { continue }
            }
            swept.append(folder)
        }
        return swept
    }

    /// The working folders of this host's scratch folder and the live output folders in the store of runs
    /// that ended (or were abandoned) more than `grace` ago.
    public static func sweepAll(
        _ workspace: Workspace, now: Timestamp, grace: TimeSpan, dryRun: Bool
    ) async throws
        -> [URL]
    {
        let runs = try await workspace.recorder.allRuns()
        let cutoff = Timestamp(milliseconds: now.milliseconds - grace.milliseconds)
        var swept = sweep(runs: runs, now: now, before: cutoff, dryRun: dryRun)
        if let live = workspace.liveLogFolder(run: "")?.deletingLastPathComponent() {
            swept += sweep(scratch: live, prefix: "", runs: runs, now: now, before: cutoff, dryRun: dryRun)
        }
        return swept
    }

    /// At a service's start: the folders of runs whose process on this host is gone (a service or command
    /// killed outright; its steps died with it), at once, without waiting for them to count as abandoned.
    public static func sweepGone(runs: [RunRecord], now: Timestamp) -> [URL] {
        sweep(runs: runs.filter(processIsGone), now: now, before: now, dryRun: false)
    }

    /// Whether the process that ran `run` on this host is gone (a pid no process has; one of another user
    /// answers, and counts as alive).
    public static func processIsGone(_ run: RunRecord) -> Bool {
        guard run.status == .running, run.host == ProcessInfo.processInfo.hostName, let pid = run.pid, pid > 0 else {
            return false
        }
        return kill(pid, 0) != 0 && errno == ESRCH
    }

    /// Inputs are handed to steps read-only; their folders must be writable again to be removed.
    private static func makeWritable(_ folder: URL) {
        chmod(folder.path, 0o755)
        guard let walker = FileManager.default.enumerator(atPath: folder.path) else { return }
        while let path = walker.nextObject() as? String {
            let full = folder.appendingPathComponent(path).path
            var info = stat()
            if lstat(full, &info) == 0, info.st_mode & S_IFMT == S_IFDIR { chmod(full, 0o755) }
        }
    }
}
