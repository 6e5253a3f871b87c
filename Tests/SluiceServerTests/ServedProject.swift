import Foundation
import SluiceTestSupport

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// A scaffolded project with data, two runs and tokens, served by `sluice serve --port 0` as a user starts it.
final class ServedProject: @unchecked Sendable {
    let project: CLIProject
    let process: Process
    let port: Int

    convenience init() throws {
        let project = try CLIProject()
        try project.makeTokens()
        try project.ingestCustomers()
        guard try project.run(as: "alice", ["ingest", "orders_drop"]).status == 0,
            try project.run(as: "ci", ["run", "daily", "--env", "dev"]).status == 0,
            try project.run(as: "ci", ["run", "daily", "--env", "dev", "--no-cache"]).status == 0
        else { throw CLIError(message: "could not prepare the project") }
        try self.init(serving: project)
    }

    /// Serves `project` as it is, with `sluice serve`'s further `arguments`.
    init(serving project: CLIProject, arguments: [String] = []) throws {
        self.project = project
        (process, port) = try Self.serve(project.sluice, arguments: arguments)
    }

    /// Starts `sluice serve --port 0` in `binary`'s folder and reads the port from its first line.
    static func serve(_ binary: SluiceBinary, arguments: [String] = []) throws -> (Process, Int) {
        let (process, out, _) = try binary.start(["serve", "--port", "0"] + arguments)
        return (process, try port(from: out, process: process))
    }

    /// The port `sluice serve` says it listens on, in the first line it prints.
    static func port(from out: Pipe, process: Process) throws -> Int {
        var text = ""
        let deadline = Date().addingTimeInterval(30)
        while !text.contains("\n"), Date() < deadline {
            let data = out.fileHandleForReading.availableData
            if data.isEmpty { break }
            text += String(decoding: data, as: UTF8.self)
        }
        guard let range = text.range(of: #"127\.0\.0\.1:[0-9]+"#, options: .regularExpression),
            let port = Int(text[range].split(separator: ":")[1])
        else {
            process.terminate()
            throw CLIError(message: "sluice serve did not say where it listens: \(text)")
        }
        return port
    }

    deinit { if process.isRunning { process.terminate() } }

    /// A project with a pipeline `chatty` whose one step `talk` runs the shell line `before`, waits until the
    /// file `go` exists, then runs `after`: a run to look at while it goes on.
    static func talkingProject(before: String, after: String) throws -> (CLIProject, go: String) {
        try projectWatching("go", commit: "a pipeline that talks") { go in
            """
              chatty:
                steps:
                  talk: { command: [sh, -c, '\(before); while [ ! -e "$1" ]; do sleep 0.1; done; \(after)', sh, "\(go)"] }

            """
        }
    }

    /// A project with tokens whose `sluice.yaml` gets `addition` (given the path of the file `name` in a folder
    /// every step may read), committed.
    static func projectWatching(
        _ name: String, commit message: String, _ addition: (String) -> String
    ) throws -> (CLIProject, String) {
        let project = try CLIProject()
        try project.makeTokens()
        let drop = project.folder.appendingPathComponent("drop")
        try FileManager.default.createDirectory(at: drop, withIntermediateDirectories: true)
        chmod(drop.path, 0o777)
        let path = drop.appendingPathComponent(name).path
        try project.edit("sluice.yaml") { $0 + addition(path) }
        try project.commit(message)
        return (project, path)
    }

    struct Answer {
        var status: Int
        var body: Data
        var json: Any? { try? JSONSerialization.jsonObject(with: body) }
        var object: [String: Any] { json as? [String: Any] ?? [:] }
        var errorCode: String? { (object["error"] as? [String: Any])?["code"] as? String }
        var errorField: String? { (object["error"] as? [String: Any])?["field"] as? String }
    }

    /// `GET path` as `principal` (by token), or without a token; `token` overrides; `authorization` is the
    /// whole header, as sent.
    func get(
        _ path: String, as principal: String? = nil, token: String? = nil, authorization: String? = nil,
        headers: [String: String] = [:]
    ) async throws -> Answer {
        try await send(
            path, method: "GET", body: nil, as: principal, token: token, authorization: authorization, headers: headers)
    }

    /// `POST path` with a JSON body.
    func post(_ path: String, _ body: String, as principal: String? = nil) async throws -> Answer {
        try await send(path, method: "POST", body: Data(body.utf8), as: principal, token: nil)
    }

    /// `POST path` with a file's bytes as the body (an upload).
    func upload(_ path: String, _ body: String, as principal: String) async throws -> Answer {
        try await send(path, method: "POST", body: Data(body.utf8), contentType: "text/csv", as: principal, token: nil)
    }

    /// `DELETE path`.
    func delete(_ path: String, as principal: String? = nil) async throws -> Answer {
        try await send(path, method: "DELETE", body: nil, as: principal, token: nil)
    }

    private func send(
        _ path: String, method: String, body: Data?, contentType: String = "application/json", as principal: String?,
        token: String?, authorization: String? = nil, headers: [String: String] = [:]
    ) async throws -> Answer {
        var request = URLRequest(url: URL(string: "http://127.0.0.1:\(port)\(path)")!)
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        request.httpMethod = method
        request.httpBody = body
        if body != nil { request.setValue(contentType, forHTTPHeaderField: "Content-Type") }
        if let bearer = token ?? principal.flatMap({ project.tokens[$0] }) {
            request.setValue("Bearer \(bearer)", forHTTPHeaderField: "Authorization")
        }
        if let authorization { request.setValue(authorization, forHTTPHeaderField: "Authorization") }
        return try await withCheckedThrowingContinuation { continuation in
            URLSession.shared.dataTask(with: request) { data, response, error in
                if let error { return continuation.resume(throwing: error) }
                let status = (response as? HTTPURLResponse)?.statusCode ?? 0
                continuation.resume(returning: Answer(status: status, body: data ?? Data()))
            }.resume()
        }
    }
}
