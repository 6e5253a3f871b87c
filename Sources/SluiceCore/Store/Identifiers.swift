import Crypto
import Foundation

/// The SHA-256 of some content, in lower-case hex. Objects, dataset versions and commits are named by it.
public struct ObjectID: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let hex: String

    /// Accepts exactly 64 lower-case hex digits, so an id can never name a path outside the store.
    public init?(hex: String) {
        guard hex.utf8.count == 64, hex.utf8.allSatisfy({ (48...57).contains($0) || (97...102).contains($0) }) else {
            return nil
        }
        self.hex = hex
    }

    /// Lower-case hex of some bytes, without a formatter call per byte.
    public static func hexString<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(64)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    public init(digest: SHA256.Digest) {
        self.hex = Self.hexString(digest)
    }

    public static func hashing(_ data: Data) -> ObjectID {
        ObjectID(digest: SHA256.hash(data: data))
    }

    public var short: String { String(hex.prefix(12)) }
    public var description: String { hex }

    public static func < (lhs: ObjectID, rhs: ObjectID) -> Bool { lhs.hex < rhs.hex }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let id = ObjectID(hex: text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "not a SHA-256 id: \(text)"))
        }
        self = id
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(hex)
    }
}

/// Milliseconds since 1970, the one time representation in hashed records (exact, no floating point).
public struct Timestamp: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let milliseconds: Int64

    public init(milliseconds: Int64) {
        self.milliseconds = milliseconds
    }

    public init(_ date: Date) {
        self.milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
    }

    public static func now() -> Timestamp { Timestamp(Date()) }

    public var date: Date { Date(timeIntervalSince1970: Double(milliseconds) / 1000) }

    /// Saturates at the largest timestamp instead of overflowing.
    public func adding(_ span: TimeSpan) -> Timestamp {
        let (sum, overflow) = milliseconds.addingReportingOverflow(span.milliseconds)
        return Timestamp(milliseconds: overflow ? .max : sum)
    }

    /// ISO 8601 in UTC with milliseconds, e.g. `2026-11-25T06:00:00.000Z`. Calendar arithmetic, not a
    /// formatter: API lists write thousands of these, and making a formatter costs more than the rest.
    public var iso8601: String {
        let text = CivilDate.canonicalTimestamp(
            microseconds: milliseconds.multipliedReportingOverflow(by: 1000).overflow
                ? (milliseconds < 0 ? .min : .max) : milliseconds * 1000)
        // `…SS.ffffffZ` → `…SS.fffZ`
        return String(text.dropLast(4)) + "Z"
    }

    public var description: String { iso8601 }

    public static func < (lhs: Timestamp, rhs: Timestamp) -> Bool { lhs.milliseconds < rhs.milliseconds }

    /// Milliseconds, or the ISO 8601 text `--json` and the API write (so that a client reads back what the
    /// service sent, to the millisecond).
    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let text = try? container.decode(String.self) {
            guard let parsed = Timestamp(iso8601: text) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "not a UTC ISO 8601 time such as 2026-11-25T06:00:00.000Z: \(text)"
                )
            }
            self = parsed
        } else {
            milliseconds = try container.decode(Int64.self)
        }
    }

    /// Parses `YYYY-MM-DDTHH:MM:SS[.fff]Z`, the form `iso8601` writes.
    public init?(iso8601 text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 20 || bytes.count == 24, bytes.last == UInt8(ascii: "Z"), bytes[4] == UInt8(ascii: "-"),
            bytes[7] == UInt8(ascii: "-"), bytes[10] == UInt8(ascii: "T"), bytes[13] == UInt8(ascii: ":"),
            bytes[16] == UInt8(ascii: ":"), bytes.count == 20 || bytes[19] == UInt8(ascii: ".")
        else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var value = 0
            for byte in bytes[range] {
                guard (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            return value
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10),
            let hour = number(11..<13), let minute = number(14..<16), let second = number(17..<19),
            let millis = bytes.count == 24 ? number(20..<23) : 0, (1...12).contains(month),
            (1...CivilDate.daysIn(month: month, year: year)).contains(day), hour < 24, minute < 60, second < 60
        else { return nil }
        let days = CivilDate.daysFromCivil(year: year, month: month, day: day)
        let seconds = days * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        milliseconds = seconds * 1000 + Int64(millis)
    }

    /// ISO 8601 text for people, scripts (`--json`) and the API; hashed and stored records (`CanonicalJSON`)
    /// ask for milliseconds by setting `Timestamp.millisecondsOutput` in the encoder's user info.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        if encoder.userInfo[Self.millisecondsOutput] as? Bool == true {
            try container.encode(milliseconds)
        } else {
            try container.encode(iso8601)
        }
    }

    public static let millisecondsOutput = CodingUserInfoKey(rawValue: "sluice.timestamp.milliseconds")!
}

/// Canonical JSON (sorted keys, no extra spaces) for hashing records: the same content always hashes the same.
public enum CanonicalJSON {
    public static func encode<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.userInfo[Timestamp.millisecondsOutput] = true
        return try encoder.encode(value)
    }

    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        try JSONDecoder().decode(type, from: data)
    }
}
