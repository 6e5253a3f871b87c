import Foundation
import SluiceTestSupport
import Testing

@testable import SluiceServer

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Issue 21 item 1: every operation of the OpenAPI document, called with generated and hostile values in its
/// path, query and body, by a caller without a token, one whose role grants nothing and an engineer: more than
/// 10,000 requests, not one answered with a 5xx, and the service alive with its audit chain intact after.
@Suite struct APIFuzzTests {
    struct Operation {
        var method: String
        var path: String
        var query: [String]
        var body: [String]?  // JSON properties; nil: no JSON body (a raw upload, or none)
        var upload: Bool
    }

    /// Values no caller should be able to crash anything with.
    static let hostile: [String] = [
        "", "@", "@@", ".", "..", "../../../etc/passwd", "..%2F..%2Fetc", "/", "//", "a/b/c/d/e/f", "raw.orders@",
        "@abcd", "raw.orders@zzzz", "raw.", ".orders", "raw..orders", "sandbox/../prod", "prod/", "*", "%", "%zz",
        "' OR 1=1 --", "\"; DROP TABLE audit; --", "<script>alert(1)</script>", "${jndi:ldap://x}", "$(id)", "`id`",
        "-1", "0", "1e309", "NaN", "-0", "99999999999999999999999", "true", "null", "[]", "{}", "ø", "👩‍💻",
        "\u{202E}gpj.exe", "\u{FEFF}", "\u{FFFF}", String(repeating: "a", count: 5_000), "--help", "-rf",
        "HEAD~1", "refs/heads/main", "a b", "tab\there", "sandbox/x", "dev", "raw.orders",
    ]

    static func operations() throws -> [Operation] {
        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json.utf8)) as? [String: Any])
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        let components = document["components"] as? [String: Any] ?? [:]
        func resolve(_ item: Any) -> [String: Any] {
            guard let object = item as? [String: Any] else { return [:] }
            guard let reference = object["$ref"] as? String else { return object }
            let parts = reference.split(separator: "/").dropFirst(2).map(String.init)  // #/components/KIND/NAME
            guard parts.count == 2 else { return [:] }
            return (components[parts[0]] as? [String: Any])?[parts[1]] as? [String: Any] ?? [:]
        }
        var operations: [Operation] = []
        for (path, methods) in paths.sorted(by: { $0.key < $1.key }) {
            for (method, value) in methods.sorted(by: { $0.key < $1.key }) {
                guard let spec = value as? [String: Any] else { continue }
                let query = (spec["parameters"] as? [Any] ?? []).map(resolve).filter { $0["in"] as? String == "query" }
                    .compactMap { $0["name"] as? String }
                let content = (resolve(spec["requestBody"] as Any)["content"] as? [String: Any]) ?? [:]
                let schema = resolve((content["application/json"] as? [String: Any])?["schema"] as Any)
                let properties = (schema["properties"] as? [String: Any]).map { Array($0.keys).sorted() }
                operations.append(
                    Operation(
                        method: method.uppercased(), path: path, query: query,
                        body: content["application/json"] != nil ? properties ?? [] : nil,
                        upload: !content.isEmpty && content["application/json"] == nil))
            }
        }
        return operations
    }

    /// A JSON value of some type, for a body property.
    static func jsonValue(_ text: String, _ random: inout SplitMix) -> Any {
        switch random.next() % 8 {
        case 0: return Int64(bitPattern: random.next())
        case 1: return Double(bitPattern: random.next() & 0x7FEF_FFFF_FFFF_FFFF)
        case 2: return random.next() % 2 == 0
        case 3: return NSNull()
        case 4: return [text, text]
        case 5: return ["nested": text]
        default: return text
        }
    }

    /// Whole bodies that are not the object a route takes.
    static let malformedBodies: [String] = [
        "", "{", "}", "[]", "null", "1", "\"x\"", "{\"a\":}", "{\"pipeline\":\"\\ud800\"}", "\u{0}",
        String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000),
        String(repeating: "{\"a\":", count: 5_000) + "1" + String(repeating: "}", count: 5_000),
    ]

    struct Call: Sendable {
        var method: String
        var path: String
        var body: Data?
        var contentType: String?
        var token: String?
    }

    static func calls(_ operations: [Operation], tokens: [String?], seed: UInt64) throws -> [Call] {
        var random = SplitMix(seed: seed)
        var calls: [Call] = []
        func pick() -> String { hostile[Int(random.next() % UInt64(hostile.count))] }
        func escaped(_ text: String) -> String {
            text.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
        }
        for operation in operations {
            for token in tokens {
                // Each hostile value everywhere at once, then random mixtures.
                for round in 0..<(hostile.count + 40) {
                    let fixed = round < hostile.count ? hostile[round] : nil
                    var path = operation.path
                    while let open = path.firstIndex(of: "{"), let close = path[open...].firstIndex(of: "}") {
                        path.replaceSubrange(open...close, with: escaped(fixed ?? pick()))
                    }
                    let query = operation.query.filter { _ in fixed != nil || random.next() % 2 == 0 }
                        .map { "\($0)=\(escaped(fixed ?? pick()))" }
                    if !query.isEmpty { path += "?" + query.joined(separator: "&") }
                    var call = Call(method: operation.method, path: path, body: nil, contentType: nil, token: token)
                    if let properties = operation.body {
                        if fixed == nil && random.next() % 4 == 0 {
                            call.body = Data(malformedBodies[Int(random.next() % UInt64(malformedBodies.count))].utf8)
                        } else {
                            var object: [String: Any] = [:]
                            for property in properties {
                                object[property] = fixed ?? jsonValue(pick(), &random)
                            }
                            call.body = try JSONSerialization.data(withJSONObject: object)
                        }
                        call.contentType = "application/json"
                    } else if operation.upload {
                        call.body = Data(("order_id,\(fixed ?? pick())\n1,\(fixed ?? pick())\n").utf8)
                        call.contentType = "text/csv"
                    }
                    calls.append(call)
                }
            }
        }
        return calls
    }

    /// A session of its own, so that the fuzz does not queue other tests' requests behind its own.
    static let session = URLSession(configuration: .ephemeral)

    static func send(_ call: Call, port: Int) async -> Int {
        guard let url = URL(string: "http://127.0.0.1:\(port)\(call.path)") else { return -1 }
        var request = URLRequest(url: url)
        request.httpMethod = call.method
        request.httpBody = call.body
        request.timeoutInterval = 60
        if let type = call.contentType { request.setValue(type, forHTTPHeaderField: "Content-Type") }
        if let token = call.token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        return await withCheckedContinuation { continuation in
            session.dataTask(with: request) { _, response, _ in
                continuation.resume(returning: (response as? HTTPURLResponse)?.statusCode ?? 0)
            }.resume()
        }
    }

    @Test func noRequestCrashesTheServiceOrGets5xx() async throws {
        let served = try HostileRequestTests.served()
        let operations = try Self.operations()
        #expect(operations.count >= 35, "the document describes \(operations.count) operations")
        let tokens: [String?] = [nil, served.project.tokens["eve"], served.project.tokens["alice"]]
        let calls = try Self.calls(operations, tokens: tokens, seed: 21)
        #expect(calls.count >= 10_000, "\(calls.count) requests")
        var failures: [String] = []
        var answered = 0
        try await withThrowingTaskGroup(of: (Call, Int).self) { group in
            var pending = calls[...]
            for _ in 0..<8 {
                guard let call = pending.popFirst() else { break }
                group.addTask { (call, await Self.send(call, port: served.port)) }
            }
            while let (call, status) = try await group.next() {
                answered += 1
                if status >= 500 || status <= 0 {
                    failures.append("\(call.method) \(call.path.prefix(120)) → \(status)")
                }
                if let next = pending.popFirst() {
                    group.addTask { (next, await Self.send(next, port: served.port)) }
                }
            }
        }
        print("API fuzz: \(answered) requests over \(operations.count) operations, \(failures.count) 5xx or no answer")
        #expect(failures.isEmpty, "\(failures.count) failures, e.g. \(failures.prefix(10))")
        #expect(served.process.isRunning, "the service died")
        #expect(try await served.get("/healthz").status == 200)
        let verify = try served.project.run(as: "ops", ["audit", "verify"])
        #expect(verify.status == 0, "\(verify.stdout)")
    }
}
