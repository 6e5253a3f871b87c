import Foundation
import OpenAPIRuntime
import SluiceCore
import Yams

/// The API's OpenAPI 3.1 description: `openapi.yaml` in the repository, written once by hand as the API's
/// contract and embedded here (`yaml`, by `scripts/generate-api.sh`). Served as JSON; tests check that every
/// route the router registers is described and that every path described answers, and schemathesis checks the
/// running service against it.
enum OpenAPIDocument {
    /// The document as JSON, converted once from the YAML (a document that does not convert is a programming
    /// error that the tests catch before it ships).
    static let json: String = {
        do {
            let object = try Yams.load(yaml: yaml) ?? [:]
            let data = try JSONSerialization.data(
                withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
            return String(decoding: data, as: UTF8.self)
        } catch {
            return #"{"openapi": "3.1.0", "info": {"title": "Sluice", "version": "1"}, "paths": {}}"#
        }
    }()

    /// The document as the generated operation serves it, decoded once.
    static func container() throws -> OpenAPIObjectContainer {
        guard let decoded else { throw InternalError("the service's OpenAPI document does not decode") }
        return decoded
    }

    private static let decoded = try? JSONDecoder().decode(OpenAPIObjectContainer.self, from: Data(json.utf8))
}
