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

    public init(from decoder: Decoder) throws {
        milliseconds = try decoder.singleValueContainer().decode(Int64.self)
    }

    /// Hashed records store milliseconds; output for people and scripts (`--json`) asks for ISO 8601 by
    /// setting `Timestamp.iso8601Output` in the encoder's user info.
    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        if encoder.userInfo[Self.iso8601Output] as? Bool == true {
            try container.encode(iso8601)
        } else {
            try container.encode(milliseconds)
        }
    }

    public static let iso8601Output = CodingUserInfoKey(rawValue: "sluice.timestamp.iso8601")!
}

/// Canonical JSON (sorted keys, no extra spaces) for hashing records: the same content always hashes the same.
public enum CanonicalJSON {
    public static func encode<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }

    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        try JSONDecoder().decode(type, from: data)
    }
}
