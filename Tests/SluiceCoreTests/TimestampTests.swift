import Foundation
import SluiceTestSupport
import Testing

@testable import SluiceCore

/// Timestamps as people and scripts read them (`--json`, the API): written by calendar arithmetic, checked
/// against Foundation's ISO 8601 formatter.
@Suite struct TimestampTests {
    @Test func iso8601AgreesWithFoundation() {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        var generator = SplitMix(seed: 8)
        for _ in 0..<5_000 {
            // 1600 to 2400, to the millisecond.
            let milliseconds = Int64(generator.next() % 25_246_080_000_000) - 11_676_096_000_000
            let stamp = Timestamp(milliseconds: milliseconds)
            #expect(stamp.iso8601 == formatter.string(from: stamp.date), "\(milliseconds)")
        }
        #expect(Timestamp(milliseconds: 0).iso8601 == "1970-01-01T00:00:00.000Z")
        #expect(Timestamp(milliseconds: -1).iso8601 == "1969-12-31T23:59:59.999Z")
    }

    /// A run's id carries its UTC start to the second, as Foundation's formatter writes `yyyyMMdd-HHmmss`
    /// (the id is made without one now: one formatter per run was a cost the runner paid on every start).
    @Test func runIDsCarryTheirUTCSecondAsAFormatterWritesIt() {
        let formatter = DateFormatter()
        formatter.dateFormat = "yyyyMMdd-HHmmss"
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.locale = Locale(identifier: "en_US_POSIX")
        var generator = SplitMix(seed: 9)
        for _ in 0..<2_000 {
            // 1970 to 2400, to the millisecond.
            let stamp = Timestamp(milliseconds: Int64(generator.next() % 13_569_465_600_000))
            let id = RunRecord.newID(now: stamp)
            #expect(id.hasPrefix("r\(formatter.string(from: stamp.date))-"), "\(stamp.milliseconds): \(id)")
            #expect(id.count == 23, "\(id)")
        }
    }
}
