import Foundation
import SluiceCore

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Requests to `sluice serve` with a bearer token; answers come back as status and body, errors of the
/// service as the `SluiceError` it sent (same message, same code, so the same exit status).
struct HTTPTransport: Sendable {
    let base: URL
    let token: String?

    struct Answer {
        var status: Int
        var body: Data
    }

    func request(_ method: String, _ path: String, query: [String: String?] = [:]) throws -> URLRequest {
        guard var components = URLComponents(url: base, resolvingAgainstBaseURL: false) else {
            throw UsageError("the service address \(NameRules.quoted(base.absoluteString)) is not a URL")
        }
        components.percentEncodedPath = components.percentEncodedPath.trimmingSuffix("/") + "/api/v1/" + path
        let items = query.sorted { $0.key < $1.key }.compactMap { key, value in
            value.map { URLQueryItem(name: key, value: $0) }
        }
        components.queryItems = items.isEmpty ? nil : items
        guard let url = components.url else { throw UsageError("cannot make a URL of \(path)") }
        var request = URLRequest(url: url, timeoutInterval: 3600)
        request.httpMethod = method
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        return request
    }

    /// Sends `request` (with a JSON body when given) and fails with the service's error unless it is 2xx.
    func send(_ request: URLRequest, json body: Data? = nil) async throws -> Answer {
        var request = request
        if let body {
            request.httpBody = body
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let answer: Answer = try await withCheckedThrowingContinuation { [request] continuation in
            URLSession.shared.dataTask(with: request) { data, response, error in
                continuation.resume(with: Self.answer(data ?? Data(), response, error, request))
            }.resume()
        }
        return try checked(answer)
    }

    /// Sends the file at `upload` as the body.
    func upload(_ request: URLRequest, file upload: URL) async throws -> Answer {
        let answer: Answer = try await withCheckedThrowingContinuation { continuation in
            URLSession.shared.uploadTask(with: request, fromFile: upload) { data, response, error in
                continuation.resume(with: Self.answer(data ?? Data(), response, error, request))
            }.resume()
        }
        return try checked(answer)
    }

    /// Downloads the body to a private temporary file (memory stays bounded), then hands it to `sink` in
    /// pieces of 1 MiB.
    func download(_ request: URLRequest, to sink: (Data) throws -> Void) async throws {
        let (file, status): (URL, Int) = try await withCheckedThrowingContinuation { continuation in
            URLSession.shared.downloadTask(with: request) { file, response, error in
                // The session removes its file when this closure returns: move it aside first.
                let kept = FileManager.default.temporaryDirectory.appendingPathComponent(
                    "sluice-download-\(UUID().uuidString)")
                let moved = file.map { (try? FileManager.default.moveItem(at: $0, to: kept)) != nil } ?? false
                continuation.resume(
                    with: Self.answer(Data(), response, error, request).flatMap { answer in
                        moved
                            ? .success((kept, answer.status))
                            : .failure(
                                RemoteError(code: .unavailable, message: "the download from the service was lost"))
                    })
            }.resume()
        }
        defer { try? FileManager.default.removeItem(at: file) }
        if !(200..<300).contains(status) {
            _ = try checked(Answer(status: status, body: (try? Data(contentsOf: file)) ?? Data()))
        }
        let handle = try FileHandle(forReadingFrom: file)
        defer { try? handle.close() }
        while let piece = try handle.read(upToCount: 1 << 20), !piece.isEmpty { try sink(piece) }
    }

    private static func answer(
        _ data: Data, _ response: URLResponse?, _ error: (any Error)?, _ request: URLRequest
    ) -> Result<Answer, any Error> {
        if let error {
            return .failure(
                RemoteError(
                    code: .unavailable,
                    message:
                        "the service at \(request.url.map(Self.origin) ?? "?") does not answer: \(error.localizedDescription)",
                    hint: "is sluice serve running there? (SLUICE_SERVER or --server names it)"))
        }
        return .success(Answer(status: (response as? HTTPURLResponse)?.statusCode ?? 0, body: data))
    }

    private func checked(_ answer: Answer) throws -> Answer {
        if (200..<300).contains(answer.status) { return answer }
        throw RemoteError(answer, from: Self.origin(base))
    }

    static func origin(_ url: URL) -> String {
        "\(url.scheme ?? "http")://\(url.host ?? "?")\(url.port.map { ":\($0)" } ?? "")"
    }
}

extension String {
    fileprivate func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}
