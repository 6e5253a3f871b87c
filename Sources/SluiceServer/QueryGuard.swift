import Foundation
import HTTPTypes
import OpenAPIRuntime
import SluiceCore

/// Query values checked against openapi.yaml before the generated code decodes them, so that a bad one is a
/// 400 naming its parameter and what it takes (`direction must be up, down or both`) rather than a decoding
/// failure: enumerations, booleans and bounded whole numbers, as the document declares them.
struct QueryGuard: ServerMiddleware {
    /// A parameter's rule: the values it takes, or the bounds of a whole number.
    enum Rule: Sendable, Equatable {
        case oneOf([String])
        case wholeNumber(ClosedRange<Int>)
    }

    /// Rules by operationId and parameter name, read once from the document.
    static let rules: [String: [String: Rule]] = {
        guard let document = try? JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json.utf8)) as? [String: Any]
        else { return [:] }
        return rules(in: document)
    }()

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        if let rules = Self.rules[operationID], let path = request.path,
            let items = URLComponents(string: path)?.queryItems
        {
            for item in items {
                guard let rule = rules[item.name] else { continue }
                try Self.check(item.value ?? "", named: item.name, against: rule)
            }
        }
        return try await next(request, body, metadata)
    }

    static func check(_ value: String, named name: String, against rule: Rule) throws {
        switch rule {
        case .oneOf(let values) where !values.contains(value):
            let listed =
                values.count > 1 ? values.dropLast().joined(separator: ", ") + " or " + (values.last ?? "") : values[0]
            throw BadField(field: name, message: "\(name) must be \(listed)")
        case .wholeNumber(let range) where Int(value).map(range.contains) != true:
            throw BadField(
                field: name, message: "\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound)")
        default: return
        }
    }

    /// The query parameters' rules of every operation in `document` (references to shared parameters resolved).
    static func rules(in document: [String: Any]) -> [String: [String: Rule]] {
        let shared = ((document["components"] as? [String: Any])?["parameters"] as? [String: [String: Any]]) ?? [:]
        var rules: [String: [String: Rule]] = [:]
        for case let operations as [String: Any] in (document["paths"] as? [String: Any] ?? [:]).values {
            for case let operation as [String: Any] in operations.values {
                guard let id = operation["operationId"] as? String else { continue }
                for case var parameter as [String: Any] in operation["parameters"] as? [Any] ?? [] {
                    if let reference = parameter["$ref"] as? String {
                        parameter = shared[String(reference.split(separator: "/").last ?? "")] ?? [:]
                    }
                    guard parameter["in"] as? String == "query", let name = parameter["name"] as? String,
                        let rule = rule(of: parameter["schema"] as? [String: Any] ?? [:])
                    else { continue }
                    rules[id, default: [:]][name] = rule
                }
            }
        }
        return rules
    }

    static func rule(of schema: [String: Any]) -> Rule? {
        if let values = schema["enum"] as? [String] { return .oneOf(values) }
        switch schema["type"] as? String {
        case "boolean": return .oneOf(["true", "false"])
        case "integer":
            let low = schema["minimum"] as? Int ?? Int.min
            return .wholeNumber(low...(schema["maximum"] as? Int ?? Int.max))
        default: return nil
        }
    }
}
