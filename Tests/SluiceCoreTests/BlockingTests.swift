import Foundation
import Testing

@testable import SluiceCore

/// Issue 12 item 0: blocking work (processes, files, long scans) runs off Swift's cooperative pool, so that
/// while many such calls wait, other tasks still run at once.
@Suite struct BlockingTests {
    /// Many blocking calls at once all run at once, each on a thread of its own, whatever the number of cores:
    /// sixteen calls that each wait for all sixteen to have started all get there (a pool of a thread a core
    /// would run a few at a time, and they would give up waiting).
    @Test func blockingCallsRunSideBySide() async throws {
        let barrier = Barrier(parties: 16)
        let met = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<16 { group.addTask { try await Blocking.run { barrier.arriveAndWait(seconds: 5) } } }
            return try await group.reduce(true) { $0 && $1 }
        }
        #expect(met, "the 16 blocking calls did not all run at once")
    }

    /// Waits until `parties` threads arrived, or gives up.
    final class Barrier: @unchecked Sendable {
        private let condition = NSCondition()
        private var arrived = 0
        private let parties: Int

        init(parties: Int) { self.parties = parties }

        func arriveAndWait(seconds: Double) -> Bool {
            condition.lock()
            defer { condition.unlock() }
            arrived += 1
            condition.broadcast()
            let deadline = Date().addingTimeInterval(seconds)
            while arrived < parties {
                if !condition.wait(until: deadline) { return false }
            }
            return true
        }
    }

    /// The pool keeps its limit: more calls than threads wait their turn and all finish.
    @Test func moreCallsThanThreadsWaitTheirTurn() async throws {
        let pool = Blocking.ThreadPool(limit: 2)
        let clock = ContinuousClock()
        let began = clock.now
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<6 {
                group.addTask {
                    await withCheckedContinuation { continuation in
                        pool.submit {
                            usleep(200_000)
                            continuation.resume()
                        }
                    }
                }
            }
        }
        let took = clock.now - began
        #expect(took >= .milliseconds(590), "six 0.2 s jobs on two threads took \(took)")
    }

    @Test func resultsAndErrorsComeBack() async throws {
        var touched = 0
        let value = try await Blocking.run {
            touched += 1
            return "done"
        }
        #expect(value == "done" && touched == 1)
        let nothing: Int? = try await Blocking.run { nil }
        #expect(nothing == nil)
        await #expect(throws: UsageError.self) { try await Blocking.run { throw UsageError("no") } }
    }
}
