import Foundation
import Logging
import SluiceCore

/// New-data triggers inside the service: each landing file of each source, once it has stopped changing
/// (`settle`), is claimed, ingested on its own through the quality gate into the project's default environment,
/// and then the pipelines that declare `on: [SOURCE]` run (as the service's principal, into their environment).
/// A file is ingested once, even across restarts and by two services; a file the gate rejected stays where it
/// is and is tried again only once it changes. A file whose ingest failed for a reason that may pass (a race
/// lost five times, a full disk, an engine error) is given back and tried again, after 1 minute, then 2, 4…
/// up to an hour.
public struct LandingWatcher: Sendable {
    public let scheduler: PipelineScheduler
    public let settle: TimeSpan
    let retries = RetryBook()

    public init(scheduler: PipelineScheduler, settle: TimeSpan = TimeSpan(seconds: 5)) {
        self.scheduler = scheduler
        self.settle = settle
    }

    /// What became of one settled file.
    public struct Landed: Sendable {
        public var source: String
        public var path: String
        /// The version it landed as, or `nil` when it was refused (`problem` says why).
        public var version: ObjectID?
        public var problem: String?
        /// `true` when the file had landed already, so the data did not change and no pipeline ran.
        public var unchanged = false
        public var runs: [RunRecord]
    }

    /// A settled file this watcher claimed, to land.
    public struct Claimed: Sendable {
        public var url: URL
        public var path: String
        public var source: String
        public var claim: LandingClaim
    }

    /// One look at every landing path at `now`: claims and lands each settled file in turn.
    public func scan(now: Timestamp) async throws -> [Landed] {
        var landed: [Landed] = []
        for claimed in try await claimSettled(now: now) { landed.append(await land(claimed)) }
        return landed
    }

    /// Claims every settled file not claimed before (the service then lands each in a task of its own).
    public func claimSettled(now: Timestamp) async throws -> [Claimed] {
        let project = scheduler.project
        var claimed: [Claimed] = []
        for source in project.sources.values.sorted(by: { $0.name < $1.name }) {
            let files: any FileSource = scheduler.files
            for url in try await files.files(matching: source.path, in: project.root) {
                // Regular files only (no link, FIFO or device), that have stopped changing.
                guard await files.kind(of: url.path) == .file, let seen = try? await files.snapshot(of: url) else {
                    continue
                }
                let modified = seen.modified / 1_000_000
                guard now.milliseconds - modified >= settle.milliseconds else { continue }
                // Only the project's own files: a folder linked out of it is never read by the service.
                guard let path = await inside(url, root: project.root), retries.isDue(path, at: now) else { continue }
                let claim = LandingClaim(
                    source: source.name, path: path, size: Int64(seen.size), modifiedMilliseconds: modified,
                    claimedAt: now, claimedBy: scheduler.claimant)
                guard try await scheduler.book.claim(claim) else { continue }
                claimed.append(Claimed(url: url, path: path, source: source.name, claim: claim))
            }
        }
        return claimed
    }

    /// A file's path relative to the project when it really lies inside it (links resolved); `nil` otherwise.
    private func inside(_ url: URL, root: URL) async -> String? {
        let files: any FileSource = scheduler.files
        guard let real = await files.realPath(url.path), let realRoot = await files.realPath(root.path) else {
            return nil
        }
        let prefix = realRoot + "/"
        return real.hasPrefix(prefix) ? String(real.dropFirst(prefix.count)) : nil
    }

    /// The file is claimed: it must not be lost to a race. Losing the compare-and-swap to a concurrent change
    /// of the environment (a person's ingest, a run landing) is retried, a few times.
    private func ingest(_ url: URL, source: String, workspace: Workspace) async throws -> IngestResult {
        var attempt = 1
        while true {
            do {
                // An append source takes the new file (the ledger lands it once); a snapshot source is its
                // landing folder as a whole, read again when any file of it lands.
                let files = workspace.project.sources[source]?.mode == .snapshot ? [] : [url]
                return try await workspace.ingest(source: source, environment: nil, files: files)
            } catch let conflict as ConflictError where attempt < 5 {
                scheduler.logger.notice(
                    "landing \(url.lastPathComponent) raced another change; again: \(conflict.message)")
                attempt += 1
            }
        }
    }

    /// Ingests a claimed file, then runs the pipelines its source starts, when it changed the data: a file
    /// that had landed already (by hand, or before the service started) starts nothing.
    public func land(_ claimed: Claimed) async -> Landed {
        let (url, path, source) = (claimed.url, claimed.path, claimed.source)
        var result = Landed(source: source, path: path, version: nil, problem: nil, runs: [])
        do {
            let workspace = try await scheduler.serviceWorkspace()
            let ingested = try await ingest(url, source: source, workspace: workspace)
            result.version = ingested.version
            result.unchanged = ingested.unchanged
            for pipeline in scheduler.project.pipelines.values.sorted(by: { $0.name < $1.name })
            where pipeline.triggers.contains(source) && !ingested.unchanged {
                let environment = pipeline.environment ?? scheduler.project.defaultEnvironment
                do {
                    result.runs.append(
                        try await scheduler.makeRunner(workspace).run(
                            pipeline.name, options: RunOptions(environment: environment)))
                } catch let ended as any RunEndedBadly {
                    result.runs.append(ended.run)
                }
            }
        } catch {
            result.problem = "\(error)"
            let again = Self.mayPass(error) ? retries.failed(path, at: claimed.claim.claimedAt) : nil
            if again != nil { try? await scheduler.book.release(claimed.claim) }
            let next = again.map { "; tried again after \($0.iso8601)" } ?? "; tried again once it changes"
            scheduler.logger.warning(
                "landing file \(path) of \(source) was not ingested: \(error)\(next)",
                metadata: ["event.action": "landing-refused", "file.path": "\(path)"])
        }
        if result.problem == nil { retries.succeeded(path) }
        return result
    }

    /// Whether a failed ingest may succeed later with the same file: not when the gate rejected the data, the
    /// policy refused it or the request itself was wrong (those wait for the file, or the project, to change).
    public static func mayPass(_ error: any Error) -> Bool {
        guard let error = error as? any SluiceError else { return true }
        switch error.code {
        case .conflict, .storageFull, .internal, .unavailable: return true
        default: return error is UsageError && "\(error)".contains("changed while it was being ingested")
        }
    }
}

/// When each landing file given back after a failure may be tried again: 1 minute after the first failure,
/// doubling up to an hour, forgotten once it lands.
final class RetryBook: @unchecked Sendable {
    private let lock = NSLock()
    private var failures: [String: (count: Int, next: Timestamp)] = [:]

    func isDue(_ path: String, at now: Timestamp) -> Bool {
        lock.withLock { failures[path].map { $0.next <= now } ?? true }
    }

    /// Records a failure; returns when the file is tried again.
    func failed(_ path: String, at now: Timestamp) -> Timestamp {
        lock.withLock {
            let count = (failures[path]?.count ?? 0) + 1
            let delay = min(3_600, 60 << min(count - 1, 6))
            let next = now.adding(TimeSpan(seconds: Int64(delay)))
            failures[path] = (count, next)
            return next
        }
    }

    func succeeded(_ path: String) {
        _ = lock.withLock { failures.removeValue(forKey: path) }
    }
}
