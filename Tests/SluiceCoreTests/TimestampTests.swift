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
}
