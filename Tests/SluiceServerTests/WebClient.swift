import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A browser's view of the web UI for tests: it keeps the cookies it is given, follows no redirect on its own
/// (so tests see each 303), and sends forms as a browser does.
final class WebClient: @unchecked Sendable {
    struct Answer {
        var status: Int
        var headers: [String: String]
        var body: String
        var location: String? { header("Location") }
        var setCookie: String { header("Set-Cookie") ?? "" }

        func header(_ name: String) -> String? {
            headers.first { $0.key.lowercased() == name.lowercased() }?.value
        }

        /// The value of the first hidden field `name` in the page.
        func field(_ name: String) -> String? {
            guard let range = body.range(of: #"name="\#(name)" value="([^"]*)""#, options: .regularExpression) else {
                return nil
            }
            let text = String(body[range])
            return String(text.split(separator: "\"")[3])
        }
    }

    let base: String
    var cookies: [String: String] = [:]
    private let session: URLSession
    private let delegate = NoRedirects()

    init(port: Int) {
        base = "http://127.0.0.1:\(port)"
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpCookieStorage = nil
        configuration.httpShouldSetCookies = false
        session = URLSession(configuration: configuration, delegate: delegate, delegateQueue: nil)
    }

    func get(_ path: String, headers: [String: String] = [:]) async throws -> Answer {
        try await send(path, method: "GET", body: nil, headers: headers)
    }

    func post(_ path: String, form: [String: String], headers: [String: String] = [:]) async throws -> Answer {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let body = form.sorted { $0.key < $1.key }.map {
            "\($0.key)=\($0.value.addingPercentEncoding(withAllowedCharacters: allowed) ?? "")"
        }.joined(separator: "&")
        var all = headers
        all["Content-Type"] = "application/x-www-form-urlencoded"
        if all["Origin"] == nil { all["Origin"] = base }
        return try await send(path, method: "POST", body: Data(body.utf8), headers: all)
    }

    /// A request as an API client sends it: a JSON body, a bearer token.
    func send(_ path: String, method: String, body: String?, token: String) async throws -> Answer {
        try await send(
            path, method: method, body: body.map { Data($0.utf8) },
            headers: ["Authorization": "Bearer \(token)", "Content-Type": "application/json"])
    }

    /// Signs in with `token` as a person does: opens the sign-in page, then sends its form.
    @discardableResult
    func signIn(token: String, next: String = "/ui") async throws -> Answer {
        let page = try await get("/ui/signin?next=\(next)")
        return try await post(
            "/ui/signin", form: ["csrf": page.field("csrf") ?? "", "token": token, "next": page.field("next") ?? "/ui"])
    }

    /// The session's CSRF secret, as every page's sign-out form carries it.
    func csrf() async throws -> String {
        try await get("/ui").field("csrf") ?? ""
    }

    private func send(_ path: String, method: String, body: Data?, headers: [String: String]) async throws -> Answer {
        var request = URLRequest(url: URL(string: base + path)!)
        request.httpMethod = method
        request.httpBody = body
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        if !cookies.isEmpty {
            request.setValue(
                cookies.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: "; "),
                forHTTPHeaderField: "Cookie")
        }
        let (data, response) = try await withCheckedThrowingContinuation {
            (continuation: CheckedContinuation<(Data, URLResponse), any Error>) in
            session.dataTask(with: request) { data, response, error in
                if let error { return continuation.resume(throwing: error) }
                continuation.resume(returning: (data ?? Data(), response!))
            }.resume()
        }
        let http = response as! HTTPURLResponse
        var headers: [String: String] = [:]
        for (key, value) in http.allHeaderFields { headers["\(key)"] = "\(value)" }
        let answer = Answer(status: http.statusCode, headers: headers, body: String(decoding: data, as: UTF8.self))
        keep(answer.setCookie)
        return answer
    }

    /// Remembers the cookies a response sets, and forgets those it expires.
    private func keep(_ header: String) {
        let pattern = #"(sluice_[a-z]+)=([^;,]*)([^,]*)"#
        let regex = try! NSRegularExpression(pattern: pattern)
        for match in regex.matches(in: header, range: NSRange(header.startIndex..., in: header)) {
            let name = String(header[Range(match.range(at: 1), in: header)!])
            let value = String(header[Range(match.range(at: 2), in: header)!])
            let attributes = String(header[Range(match.range(at: 3), in: header)!])
            if value.isEmpty || attributes.contains("Max-Age=0") { cookies[name] = nil } else { cookies[name] = value }
        }
    }

    private final class NoRedirects: NSObject, URLSessionTaskDelegate, @unchecked Sendable {
        func urlSession(
            _ session: URLSession, task: URLSessionTask, willPerformHTTPRedirection response: HTTPURLResponse,
            newRequest request: URLRequest, completionHandler: @escaping (URLRequest?) -> Void
        ) {
            completionHandler(nil)
        }
    }
}
