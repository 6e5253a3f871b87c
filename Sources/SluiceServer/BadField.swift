import Foundation
import SluiceCore

/// A bad path, query or body value, naming the field: HTTP 400.
struct BadField: SluiceError {
    var field: String
    var message: String

    init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    /// A body the contract's types could not decode, naming the missing or mistyped field.
    init(_ error: DecodingError) {
        switch error {
        case .keyNotFound(let key, _):
            self.init(field: key.stringValue, message: "the body needs \(key.stringValue)")
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            let field = context.codingPath.map(\.stringValue).joined(separator: ".")
            self.init(field: field, message: "\(field) has the wrong type: \(context.debugDescription)")
        case .dataCorrupted(let context) where !context.codingPath.isEmpty:
            let field = context.codingPath.map(\.stringValue).joined(separator: ".")
            self.init(field: field, message: "\(field) is not a value this field takes: \(context.debugDescription)")
        default:
            self.init(field: "body", message: "the body is not the JSON object this operation takes")
        }
    }

    /// A path, query or body value holding a control character (refused wherever it comes in).
    static func controlCharacter(in field: String) -> BadField {
        BadField(field: field, message: "\(field) holds a control character; names and values are printable text")
    }

    /// The first field of a JSON body whose text (key or value, at any depth) holds a control character.
    static func controlCharacterField(inJSON data: Data) -> String? {
        guard let value = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) else {
            return nil
        }
        func find(_ value: Any, _ path: String) -> String? {
            switch value {
            case let text as String: return EdgeMiddleware.hasControl(text) ? path : nil
            case let object as [String: Any]:
                for (key, item) in object {
                    let field = path == "body" ? key : "\(path).\(key)"
                    if EdgeMiddleware.hasControl(key) { return path }
                    if let found = find(item, field) { return found }
                }
                return nil
            case let array as [Any]:
                return array.enumerated().lazy.compactMap { find($0.element, "\(path)[\($0.offset)]") }.first
            default: return nil
            }
        }
        return find(value, "body")
    }

    var status: ExitStatus { .usage }
    var code: ErrorCode { .usage }
    var description: String { message }
}
