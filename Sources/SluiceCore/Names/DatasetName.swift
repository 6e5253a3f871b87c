/// A dataset's name, `zone.name`, e.g. `raw.orders`. Both parts are SQL-safe identifiers.
public struct DatasetName: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let zone: String
    public let name: String

    public init?(_ text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2,
            NameRules.isSQLSafeIdentifier(String(parts[0])),
            NameRules.isSQLSafeIdentifier(String(parts[1]))
        else { return nil }
        zone = String(parts[0])
        name = String(parts[1])
    }

    public var description: String { "\(zone).\(name)" }

    public static func < (lhs: DatasetName, rhs: DatasetName) -> Bool {
        lhs.description < rhs.description
    }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let parsed = DatasetName(text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "invalid dataset name \(text)"))
        }
        self = parsed
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }
}
