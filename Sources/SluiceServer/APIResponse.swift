import Foundation
import HTTPTypes
import Hummingbird
import OpenAPIRuntime
import SluiceCore

/// Errors as `{"error": {"code", "message", "hint"?, "field"?}}` with the HTTP status of their code, for the
/// API's operations (`problem`) and for the requests refused before any route (`error`).
enum APIResponse {
    static func json<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: Array(try encoder.encode(value)))))
    }

    static func error(_ error: any SluiceError, field: String? = nil) -> Response {
        let (head, body) = parts(error, field: field)
        return Response(
            status: head.status, headers: head.headerFields, body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }

    static func problem(_ error: any SluiceError, field: String? = nil) -> (HTTPResponse, HTTPBody?) {
        let (head, body) = parts(error, field: field)
        return (head, HTTPBody(body))
    }

    private static func parts(_ error: any SluiceError, field: String?) -> (HTTPResponse, Data) {
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
        var head = HTTPResponse(status: .init(code: error.code.httpStatus))
        head.headerFields[.contentType] = "application/json; charset=utf-8"
        if let busy = error as? ServiceBusy, let seconds = busy.retryAfter {
            head.headerFields[.retryAfter] = "\(seconds)"
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (head, (try? encoder.encode(problem)) ?? Data())
    }
}
