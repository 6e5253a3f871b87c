import Foundation
import SluiceCore

/// How long to wait before retrying: the step's backoff doubled per failed attempt, capped, with jitter
/// (a random half to whole of the delay) so retries of many steps do not fall in step.
struct Backoff {
    let policy: RetryPolicy

    func delay(afterFailedAttempt attempt: Int, random: Double) -> Duration {
        let base = Double(policy.backoff.seconds)
        let cap = Double((policy.maxBackoff ?? TimeSpan(seconds: 300)).seconds)
        let exponential = min(cap, base * pow(2, Double(max(0, attempt - 1))))
        return .milliseconds(Int64(exponential * (0.5 + random / 2) * 1000))
    }
}
