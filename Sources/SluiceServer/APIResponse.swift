import Foundation
import Hummingbird
import SluiceCore

/// JSON bodies as the command line's `--json` writes them (sorted keys, ISO 8601 times), and errors as
/// `{"error": {"code", "message", "hint"?, "field"?}}` with the HTTP status of their code.
enum APIResponse {
    static func json<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.userInfo[Timestamp.iso8601Output] = true
        return body(try encoder.encode(value), status: status)
    }

    static func body(_ data: Data, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: Array(data))))
    }

    static func error(_ error: any SluiceError, field: String? = nil) -> Response {
        var message = error.description
        var hint: String?
        if let usage = error as? UsageError {
            message = usage.message
            hint = usage.hint
        }
        let problem = APIProblem(
            error: .init(
                code: error.code.rawValue, message: message, hint: hint, field: field,
                report: (error as? GateFailed)?.report))
        let status = HTTPResponse.Status(code: error.code.httpStatus)
        var response = (try? json(problem, status: status)) ?? Response(status: status)
        if let busy = error as? ServiceBusy, let seconds = busy.retryAfter {
            response.headers[.retryAfter] = "\(seconds)"
        }
        return response
    }
}

/// A bad query or body value, naming the field: HTTP 400.
struct BadField: SluiceError {
    var field: String
    var message: String

    /// A path, query or body value holding a control character (refused wherever it comes in).
    static func controlCharacter(in field: String) -> BadField {
        BadField(field: field, message: "\(field) holds a control character; names and values are printable text")
    }
    var status: ExitStatus { .usage }
    var code: ErrorCode { .usage }
    var description: String { message }
}
