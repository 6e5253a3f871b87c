import Foundation

/// Runs numbered jobs on worker threads, a bounded number ahead of the caller, and hands the results back
/// in order on the caller's thread (where the merge and the caller's callbacks run).
final class OrderedWorkers<Result>: @unchecked Sendable {
    private let condition = NSCondition()
    private var next = 0
    private var delivered = 0
    private var results: [Int: Result] = [:]
    private var failure: Error?
    private var stopped = false
    private var running = 0
    private let count: Int
    private let window: Int

    /// Starts `workers` threads; each makes its own state with `makeState` and runs `job(state, index)`
    /// for indexes 0..<count, at most `window` beyond the last result taken.
    init<State>(
        count: Int, workers: Int, window: Int, makeState: @escaping @Sendable () -> State,
        job: @escaping @Sendable (State, Int) throws -> Result
    ) {
        self.count = count
        self.window = max(window, workers)
        running = workers
        for _ in 0..<workers {
            let thread = Thread { [self] in
                let state = makeState()
                while let index = claim() {
                    do {
                        let result = try job(state, index)
                        deliver(index, result)
                    } catch {
                        fail(error)
                    }
                }
                condition.lock()
                running -= 1
                condition.broadcast()
                condition.unlock()
            }
            thread.stackSize = 1 << 20
            thread.start()
        }
    }

    private func claim() -> Int? {
        condition.lock()
        defer { condition.unlock() }
        while !stopped && next < count && next >= delivered + window { condition.wait() }
        guard !stopped, next < count else { return nil }
        next += 1
        return next - 1
    }

    private func deliver(_ index: Int, _ result: Result) {
        condition.lock()
        results[index] = result
        condition.broadcast()
        condition.unlock()
    }

    private func fail(_ error: Error) {
        condition.lock()
        if failure == nil { failure = error }
        stopped = true
        condition.broadcast()
        condition.unlock()
    }

    /// The result of job `index`; call with 0, 1, 2, … in turn.
    func result(_ index: Int) throws -> Result {
        condition.lock()
        defer { condition.unlock() }
        while results[index] == nil && failure == nil { condition.wait() }
        if let failure { throw failure }
        delivered = index + 1
        condition.broadcast()
        return results.removeValue(forKey: index)!
    }

    /// Stops the workers after their current job and waits for them to exit.
    func finish() {
        condition.lock()
        stopped = true
        condition.broadcast()
        while running > 0 { condition.wait() }
        results.removeAll()
        condition.unlock()
    }
}
