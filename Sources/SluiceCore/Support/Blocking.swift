import Dispatch
import Foundation

/// Blocking work — a child process, a file read, write or fsync, a long scan of staged bytes — runs on
/// threads of its own, never on Swift's cooperative pool: that pool has a thread or so a core, and in the
/// service a request waiting on a disk or a `git` process there would hold up other requests.
public enum Blocking {
    /// Up to this many blocking calls run at once; more wait their turn in order.
    public static let threads = 64
    private static let pool = ThreadPool(limit: threads)

    /// Runs `work` on a blocking thread and waits for it. The caller is suspended meanwhile, so `work` may
    /// use the caller's state as if it ran in place.
    public static func run<T>(_ work: () throws -> T) async throws -> T {
        try await withoutActuallyEscaping(work) { escapable in
            let job = Job(work: escapable)
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                pool.submit {
                    job.perform()
                    continuation.resume()
                }
            }
            return try job.take()
        }
    }

    /// The work and its result, handed to a thread and back while the caller waits (never used by two
    /// threads at once).
    private final class Job<T>: @unchecked Sendable {
        /// Let go as soon as it ran: the caller's closure must not outlive the call (`withoutActuallyEscaping`
        /// checks), though the thread may still hold the job when the caller resumes.
        var work: (() throws -> T)?
        var outcome: Result<T, any Error>?

        init(work: @escaping () throws -> T) { self.work = work }

        func perform() {
            defer { work = nil }
            guard let work else { return }
            outcome = Result { try work() }
        }

        func take() throws -> T {
            guard let outcome else { preconditionFailure("blocking work ended without running") }
            return try outcome.get()
        }
    }

    /// Serial dispatch queues (each gets a thread of its own at once, unlike a concurrent queue, which adds
    /// threads slowly, about one a core) handed to jobs: an idle one if there is one, a new one up to `limit`,
    /// else the job waits for the first to come free.
    public final class ThreadPool: @unchecked Sendable {
        private let lock = NSLock()
        private let limit: Int
        private var idle: [DispatchQueue] = []
        private var made = 0
        private var waiting: [@Sendable () -> Void] = []

        public init(limit: Int) { self.limit = limit }

        public func submit(_ job: @escaping @Sendable () -> Void) {
            let queue: DispatchQueue? = lock.withLock {
                if let queue = idle.popLast() { return queue }
                guard made < limit else {
                    waiting.append(job)
                    return nil
                }
                made += 1
                return DispatchQueue(label: "sluice.blocking.\(made)")
            }
            if let queue { run(job, on: queue) }
        }

        private func run(_ job: @escaping @Sendable () -> Void, on queue: DispatchQueue) {
            queue.async { [self] in
                job()
                let next: (@Sendable () -> Void)? = lock.withLock {
                    if waiting.isEmpty {
                        idle.append(queue)
                        return nil
                    }
                    return waiting.removeFirst()
                }
                if let next { run(next, on: queue) }
            }
        }
    }
}
