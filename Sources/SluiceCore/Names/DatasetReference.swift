/// `DATASET[@VERSION]` as a command line or a request gives it (`raw.orders`, `raw.orders@3fa9c2`): a valid
/// dataset name and, optionally, a version id prefix of hex digits. Parsed once at the edge, so no later code
/// indexes into an unchecked split of hostile text.
public struct DatasetReference: Hashable, Sendable, CustomStringConvertible {
    public let dataset: DatasetName
    /// Lower-case hex digits, 4 to 64 of them, or nil for the environment's head version.
    public let versionPrefix: String?

    public init(dataset: DatasetName, versionPrefix: String? = nil) {
        self.dataset = dataset
        self.versionPrefix = versionPrefix
    }

    /// Parses `text`, throwing a usage error that quotes it (printably) and says the expected form.
    public init(parsing text: String) throws {
        let at = text.firstIndex(of: "@")
        let namePart = at.map { String(text[..<$0]) } ?? text
        guard let dataset = DatasetName(namePart) else {
            throw UsageError(
                "\(NameRules.quoted(text)) is not a dataset reference",
                hint: "give zone.name, or zone.name@VERSION with at least 4 hex digits of a version id")
        }
        guard let at else {
            self.init(dataset: dataset)
            return
        }
        let prefix = String(text[text.index(after: at)...]).lowercased()
        guard Self.isVersionPrefix(prefix) else {
            throw UsageError(
                "\(NameRules.quoted(String(text[text.index(after: at)...]))) is not a version id",
                hint: "use 4 to 64 hex digits of an id from sluice datasets show \(dataset)")
        }
        self.init(dataset: dataset, versionPrefix: prefix)
    }

    static func isVersionPrefix(_ text: String) -> Bool {
        let bytes = text.utf8
        guard (4...64).contains(bytes.count) else { return false }
        return bytes.allSatisfy {
            (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains($0)
        }
    }

    public var description: String { versionPrefix.map { "\(dataset)@\($0)" } ?? dataset.description }
}
