import Crypto
import Foundation
import Hummingbird

/// The stylesheet, script and icon, compiled into the binary and served by the service itself (nothing is
/// loaded from elsewhere, so the UI works on an air-gapped network). Their URLs carry a digest of the three,
/// so browsers may keep them for a year.
enum WebAssets {
    static let files: [String: (type: String, body: String)] = [
        "sluice.css": ("text/css; charset=utf-8", style),
        "sluice.js": ("text/javascript; charset=utf-8", script),
        "icon.svg": ("image/svg+xml", icon),
    ]

    static let version: String = {
        let digest = SHA256.hash(data: Data((style + script + icon).utf8))
        return digest.prefix(6).map { String(format: "%02x", $0) }.joined()
    }()

    static func response(for name: String, request: Request) -> Response {
        guard let file = files[name] else { return WebResponse.plain("no such asset", status: .notFound) }
        let etag = "\"\(version)\""
        var headers: HTTPFields = [.contentType: file.type, .eTag: etag]
        headers[.cacheControl] =
            request.uri.queryParameters.get("v") == version ? "public, max-age=31536000, immutable" : "no-cache"
        WebResponse.secure(&headers)
        if request.headers[.ifNoneMatch] == etag { return Response(status: .notModified, headers: headers) }
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: file.body)))
    }
}
