import Foundation
import SluiceCore
import SluiceTestSupport
import Testing

/// Issue 11 item 8: `format:` on date and timestamp columns, checked against Foundation's DateFormatter as
/// an independent reference on generated values, and through the gate.
@Suite struct DateFormatTests {
    static func parse(_ format: DateFormat, _ text: String) -> Int64? {
        var bytes = Array(text.utf8)
        return bytes.withUnsafeMutableBytes { format.microseconds(UnsafeRawBufferPointer($0)) }
    }

    @Test(arguments: [
        ("%d/%m/%Y %H:%M:%S", "dd/MM/yyyy HH:mm:ss"), ("%b %d %Y %I:%M %p", "MMM dd yyyy hh:mm a"),
        ("%Y%m%dT%H%M", "yyyyMMdd'T'HHmm"), ("%d.%m.%y", "dd.MM.yy"),
    ])
    func agreesWithFoundation(_ pair: (String, String)) throws {
        let format = try #require(DateFormat(pair.0))
        let reference = DateFormatter()
        reference.locale = Locale(identifier: "en_US_POSIX")
        reference.timeZone = TimeZone(identifier: "UTC")
        reference.dateFormat = pair.1
        reference.twoDigitStartDate = Date(timeIntervalSince1970: -31_536_000)  // 1969: 69–99 → 19xx
        var generator = SplitMix(seed: 11)
        for _ in 0..<500 {
            let date = Date(timeIntervalSince1970: Double(generator.next() % 3_000_000_000) / 1 - 500_000_000)
            let text = reference.string(from: date)
            let expected = reference.date(from: text).map { Int64(($0.timeIntervalSince1970 * 1000).rounded()) * 1000 }
            #expect(Self.parse(format, text) == expected, "\(pair.0): \(text)")
        }
    }

    @Test func invalidValuesAndFormatsAreRefused() throws {
        let format = try #require(DateFormat("%d/%m/%Y"))
        #expect(Self.parse(format, "31/02/2026") == nil)
        #expect(Self.parse(format, "2026-02-01") == nil, "a declared format replaces ISO")
        #expect(Self.parse(format, "1/2/2026") == Self.parse(format, "01/02/2026"))
        #expect(DateFormat.problem("%d/%m") != nil)
        #expect(DateFormat.problem("%Q %Y %m %d") != nil)
        #expect(DateFormat.problem("%Y-%m-%d %I:%M") != nil, "%I needs %p")
    }
}
