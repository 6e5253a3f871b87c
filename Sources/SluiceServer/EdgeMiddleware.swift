import Foundation
import Hummingbird
import HummingbirdCore
import SluiceCore
import SluiceWeb

/// The first thing every request meets, before any route reads it: the `Host` header must name this service
/// (an IP address, `localhost`, or a name the operator allowed), so a page on another site cannot reach it
/// through DNS rebinding; and no path segment or query value may hold a control character once
/// percent-decoded, so no such text reaches a name, a log line or the audit chain. Both answer 400. While
/// the service drains for shutdown, every request that could start work (all but GET and HEAD) gets 503
/// with `Retry-After`.
struct EdgeMiddleware: RouterMiddleware {
    typealias Context = SluiceRequestContext

    /// Lower-case host names (without port) accepted besides IP addresses and `localhost`.
    let allowedHosts: Set<String>
    let launcher: RunLauncher

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws
        -> Response
    {
        if let host = request.head.authority, !Self.accepts(host: host, allowed: allowedHosts) {
            return APIResponse.error(
                BadField(
                    field: "Host",
                    message:
                        "this service does not answer to the host name \(NameRules.quoted(host)); start it with --allow-host to add one"
                ), field: "Host")
        }
        if let field = Self.controlCharacterField(in: request.uri) {
            return APIResponse.error(BadField.controlCharacter(in: field), field: field)
        }
        if launcher.isDraining, request.method != .get, request.method != .head {
            return APIResponse.error(ServiceBusy.draining("\(request.method.rawValue) \(request.uri.path)"))
        }
        return try await RequestClient.$address.withValue(context.clientAddress) {
            try await next(request, context)
        }
    }

    /// Whether `authority` (`host[:port]`) names this service.
    static func accepts(host authority: String, allowed: Set<String>) -> Bool {
        var host = authority.lowercased()
        if host.hasPrefix("[") {  // an IPv6 literal, [::1]:8080
            return host.firstIndex(of: "]") != nil
        }
        if let colon = host.lastIndex(of: ":") {
            guard host[host.index(after: colon)...].allSatisfy(\.isASCII) else { return false }
            host = String(host[..<colon])
        }
        if host.hasSuffix(".") { host.removeLast() }
        return host == "localhost" || isIPv4(host) || allowed.contains(host)
    }

    static func isIPv4(_ host: String) -> Bool {
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4 && parts.allSatisfy { part in (1...3).contains(part.count) && UInt8(part) != nil }
    }

    /// `path` or the name of the first query parameter whose decoded name or value holds a control character.
    static func controlCharacterField(in uri: URI) -> String? {
        let path = uri.path.removingPercentEncoding ?? uri.path
        if hasControl(path) || hasControl(uri.path) { return "path" }
        for (name, value) in uri.queryParameters {
            if hasControl(String(name)) { return "query" }
            if hasControl(String(value)) { return String(name) }
        }
        return nil
    }

    static func hasControl(_ text: String) -> Bool {
        text.unicodeScalars.contains { $0.value < 0x20 || (0x7F...0x9F).contains($0.value) }
    }
}

/// The address of the client whose request the current task answers (set by `EdgeMiddleware`).
enum RequestClient {
    @TaskLocal static var address = "local"
}
