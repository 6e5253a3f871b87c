import Foundation
import HTTPTypes
import Hummingbird

/// Responses of the web UI, each with the headers that keep a page to itself: a content security policy that
/// allows nothing from elsewhere (and no inline script or style), no framing, no sniffing, no referrer sent to
/// other sites (within the site it is kept, so that browsers send Origin with our own forms), and no caching
/// of pages that show a principal's data.
enum WebResponse {
    static let contentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
        + "form-action 'self'; frame-ancestors 'none'; base-uri 'none'"

    static func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        body(ByteBuffer(string: text), type: "text/html; charset=utf-8", status: status)
    }

    static func plain(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        body(ByteBuffer(string: text), type: "text/plain; charset=utf-8", status: status)
    }

    static func json(_ data: Data, status: HTTPResponse.Status = .ok) -> Response {
        body(ByteBuffer(bytes: Array(data)), type: "application/json; charset=utf-8", status: status)
    }

    /// A private answer: secured, and never kept by a cache.
    private static func body(_ buffer: ByteBuffer, type: String, status: HTTPResponse.Status) -> Response {
        var response = Response(status: status, headers: [.contentType: type], body: ResponseBody(byteBuffer: buffer))
        secure(&response.headers)
        response.headers[.cacheControl] = "no-store"
        return response
    }

    /// 303 See Other: after a form, the browser GETs `location`.
    static func redirect(_ location: String, cookies: [String] = []) -> Response {
        var response = Response(status: .seeOther, headers: [.location: location])
        for cookie in cookies { response.headers.append(HTTPField(name: .setCookie, value: cookie)) }
        secure(&response.headers)
        return response
    }

    static func secure(_ headers: inout HTTPFields) {
        headers[.contentSecurityPolicy] = contentSecurityPolicy
        headers[.xContentTypeOptions] = "nosniff"
        headers[.referrerPolicy] = "same-origin"
        headers[.xFrameOptions] = "DENY"
    }

    /// Whether the browser reached the service over TLS: through a proxy that says so (the service itself
    /// speaks plain HTTP on loopback or a private network). Cookies are then marked Secure.
    static func isTLS(_ request: Request) -> Bool {
        request.headers[.xForwardedProto]?.lowercased() == "https"
    }
}

extension HTTPField.Name {
    static let referrerPolicy = Self("Referrer-Policy")!
    static let xFrameOptions = Self("X-Frame-Options")!
    static let xForwardedProto = Self("X-Forwarded-Proto")!
}
