/// Why a record could not be read as a row of the dataset.
public enum RowProblem: Hashable, Sendable, Codable {
    case unterminatedQuote
    case characterAfterClosingQuote
    case wrongFieldCount(expected: Int, found: Int)
    case invalidUTF8
    case invalidJSON(String)
    case notAnObject
    case recordTooLong(limit: Int)
    case duplicateKeys([String])

    public var message: String {
        switch self {
        case .unterminatedQuote: return "a quoted field is never closed"
        case .characterAfterClosingQuote:
            return "a character follows a closing quote (write \"\" for a quote inside a field)"
        case .wrongFieldCount(let expected, let found): return "expected \(expected) fields, found \(found)"
        case .invalidUTF8: return "the record is not valid UTF-8"
        case .invalidJSON(let detail): return "invalid JSON: \(detail)"
        case .notAnObject: return "the line is JSON but not an object"
        case .recordTooLong(let limit): return "the record is longer than \(limit) bytes and was skipped"
        case .duplicateKeys(let keys):
            return
                "the object names \(keys.map { "\"\($0)\"" }.joined(separator: ", ")) more than once (which value is meant?)"
        }
    }

    /// A short stable name for reports.
    public var code: String {
        switch self {
        case .unterminatedQuote: return "unterminated_quote"
        case .characterAfterClosingQuote: return "character_after_quote"
        case .wrongFieldCount: return "field_count"
        case .invalidUTF8: return "invalid_utf8"
        case .invalidJSON: return "invalid_json"
        case .notAnObject: return "not_an_object"
        case .recordTooLong: return "record_too_long"
        case .duplicateKeys: return "duplicate_keys"
        }
    }
}
