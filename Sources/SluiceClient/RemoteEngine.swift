import Foundation
import SluiceCore

/// The engine of server mode: every operation is a request to `sluice serve` (`/api/v1`) with the caller's
/// token, decoded into the same values `Workspace` returns. Nothing here opens the store or reads the project.
public struct RemoteEngine: Engine {
    let transport: HTTPTransport

    /// `server` is the service's base address (`https://sluice.example.com`); `token` the caller's.
    public init(server: URL, token: String?) {
        transport = HTTPTransport(base: server, token: token)
    }

    // MARK: Requests

    private func get<T: Decodable>(_ path: String, _ query: [String: String?] = [:]) async throws -> T {
        try decode(try await transport.send(transport.request("GET", path, query: query)))
    }

    private func send<T: Decodable>(
        _ method: String, _ path: String, _ body: [String: String?]? = nil, query: [String: String?] = [:]
    ) async throws -> T {
        let json = try body.map { try JSONSerialization.data(withJSONObject: $0.compactMapValues { $0 }) }
        return try decode(
            try await transport.send(transport.request(method, path, query: query), json: json ?? Data("{}".utf8)))
    }

    private func decode<T: Decodable>(_ answer: HTTPTransport.Answer) throws -> T {
        do {
            return try JSONDecoder().decode(T.self, from: answer.body)
        } catch {
            throw RemoteError(
                code: .unavailable,
                message: "the service's answer is not what this client expects (\(error)); are both the same version?",
                hint: "sluice --version here, and the service's log")
        }
    }

    /// Every item of a paged list, or the first `limit`.
    private func all<T: Decodable & Sendable>(
        _ path: String, _ query: [String: String?] = [:], limit: Int = .max
    ) async throws -> [T] {
        var items: [T] = []
        var after: String?
        repeat {
            var query = query
            query["limit"] = String(min(PageRequest.maximumLimit, limit - items.count))
            query["after"] = after
            let page: Page<T> = try await get(path, query)
            items += page.items
            after = page.next
        } while after != nil && items.count < limit
        return items
    }

    /// A path segment: names hold `/` (`sandbox/alice`) and other characters a path cannot carry.
    static func segment(_ name: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "/?#%")
        return name.addingPercentEncoding(withAllowedCharacters: allowed) ?? name
    }

    // MARK: Engine

    public func project() async throws -> ProjectSummary { try await get("project") }
    public func status() async throws -> StatusReport { try await get("status") }

    public func listEnvironments() async throws -> [EnvironmentSummary] { try await all("environments") }

    public func createEnvironment(
        _ name: String, from source: String?, ttl: TimeSpan?
    ) async throws
        -> EnvironmentSummary
    {
        try await send("POST", "environments", ["name": name, "from": source, "ttl": ttl?.description])
    }

    public func deleteEnvironment(_ name: String) async throws -> EnvironmentRecord {
        try await send("DELETE", "environments/\(Self.segment(name))")
    }

    public func resetEnvironment(_ name: String, to other: String) async throws -> EnvironmentSummary {
        try await send("POST", "environments/\(Self.segment(name))/reset", ["to": other])
    }

    public func log(of environment: String?, limit: Int) async throws -> [Commit] {
        var name = environment ?? ""
        if environment == nil { name = try await project().defaultEnvironment }
        return try await all("environments/\(Self.segment(name))/log", limit: limit)
    }

    public func promote(from source: String, to target: String) async throws -> PromotionResult {
        try await send("POST", "promote", ["from": source, "to": target])
    }

    public func datasets(in environment: String?) async throws -> [DatasetEntry] {
        try await all("datasets", ["environment": environment])
    }

    public func datasetDetails(_ name: String, in environment: String?) async throws -> DatasetDetails {
        try await get("datasets/\(Self.segment(name))", ["environment": environment])
    }

    public func stream(_ reference: String, in environment: String?, to sink: (Data) throws -> Void) async throws {
        let request = try transport.request(
            "GET", "datasets/\(Self.segment(reference))/data", query: ["environment": environment])
        try await transport.download(request, to: sink)
    }

    public func checkRuns(dataset: String?, environment: String?) async throws -> [CheckRun] {
        try await all("checks", ["dataset": dataset, "environment": environment])
    }

    public func lineage(
        _ reference: String, in environment: String?, directions: LineageDirections
    ) async throws
        -> LineageNode
    {
        try await get("lineage/\(Self.segment(reference))", Self.lineageQuery(environment, directions, nil))
    }

    public func openLineageEvents(
        _ reference: String, in environment: String?, directions: LineageDirections
    )
        async throws -> [Data]
    {
        let request = try transport.request(
            "GET", "lineage/\(Self.segment(reference))",
            query: Self.lineageQuery(environment, directions, "openlineage"))
        let body = try await transport.send(request).body
        guard let events = try JSONSerialization.jsonObject(with: body) as? [Any] else {
            throw RemoteError(code: .unavailable, message: "the service's OpenLineage answer is not a list of events")
        }
        return try events.map {
            try JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys, .withoutEscapingSlashes])
        }
    }

    static func lineageQuery(
        _ environment: String?, _ directions: LineageDirections, _ format: String?
    )
        -> [String: String?]
    {
        let direction = directions == .upstream ? "up" : directions == .downstream ? "down" : "both"
        return ["environment": environment, "direction": direction, "format": format]
    }

    public func ingest(source: String, environment: String?, upload: URL?) async throws -> IngestResult {
        var request = try transport.request(
            "POST", "sources/\(Self.segment(source))/ingest",
            query: ["environment": environment, "filename": upload?.lastPathComponent])
        guard let upload else { return try decode(try await transport.send(request, json: Data("{}".utf8))) }
        request.setValue("application/octet-stream", forHTTPHeaderField: "Content-Type")
        return try decode(try await transport.upload(request, file: upload))
    }

    public func check(file: URL, against name: String, in environment: String?) async throws -> ValidationReport {
        guard FileManager.default.isReadableFile(atPath: file.path) else {
            throw UsageError("cannot read \(file.path)")
        }
        var request = try transport.request(
            "POST", "datasets/\(Self.segment(name))/check",
            query: ["environment": environment, "filename": file.lastPathComponent])
        request.setValue("application/octet-stream", forHTTPHeaderField: "Content-Type")
        return try decode(try await transport.upload(request, file: file))
    }

    /// Re-derives a version in the service (no cache, nothing landed) and compares the bytes.
    public func reproduce(_ reference: String, in environment: String?) async throws -> ReproduceResult {
        try await send("POST", "reproduce", ["reference": reference, "environment": environment])
    }

    public func quarantineBatches() async throws -> [QuarantineBatch] { try await all("quarantine") }

    public func quarantineBatch(_ id: String) async throws -> QuarantineBatch {
        try await get("quarantine/\(Self.segment(id))")
    }

    public func streamQuarantine(_ id: String, to sink: (Data) throws -> Void) async throws {
        try await transport.download(try transport.request("GET", "quarantine/\(Self.segment(id))/rows"), to: sink)
    }

    public func runPage(_ filter: RunFilter, page: PageRequest) async throws -> Page<RunRecord> {
        try await get(
            "runs",
            [
                "pipeline": filter.pipeline, "status": filter.status?.rawValue, "limit": String(page.limit),
                "after": page.after,
            ])
    }

    public func runRecord(_ id: String) async throws -> RunRecord { try await get("runs/\(Self.segment(id))") }

    public func attemptLogs(run id: String, step: String?) async throws -> [AttemptLog] {
        try await get("runs/\(Self.segment(id))/logs", ["step": step])
    }

    public func followLogs(run id: String, step: String?, emit: (LogChunk) async throws -> Void) async throws {
        let request = try transport.request(
            "GET", "runs/\(Self.segment(id))/logs", query: ["step": step, "follow": "true"])
        var pending = Data()
        for try await piece in transport.stream(request) {
            pending.append(piece)
            while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
                let line = pending[pending.startIndex..<newline]
                pending = Data(pending[(newline + 1)...])
                try await emit(try decode(HTTPTransport.Answer(status: 200, body: Data(line))))
            }
        }
    }

    public func cancelRun(_ id: String) async throws -> Workspace.CancelOutcome {
        let answer: [String: Workspace.CancelOutcome] = try await send("POST", "runs/\(Self.segment(id))/cancel")
        guard let outcome = answer["outcome"] else {
            throw RemoteError(code: .unavailable, message: "the service did not say how the cancellation went")
        }
        return outcome
    }

    /// Starts a run in the service; returns its id at once.
    public func startRun(
        _ pipeline: String, environment: String?, select: [String], resume: String?, maxParallel: Int?,
        useCache: Bool
    ) async throws -> String {
        struct Body: Encodable {
            var pipeline: String
            var environment: String?
            var select: [String]
            var resume: String?
            var maxParallel: Int?
            var noCache: Bool

            enum CodingKeys: String, CodingKey {
                case pipeline, environment, select, resume
                case maxParallel = "max_parallel"
                case noCache = "no_cache"
            }
        }
        struct Started: Decodable { var id: String }
        let body = Body(
            pipeline: pipeline, environment: environment, select: select, resume: resume, maxParallel: maxParallel,
            noCache: !useCache)
        let answer = try await transport.send(
            transport.request("POST", "runs"), json: try JSONEncoder().encode(body))
        let started: Started = try decode(answer)
        return started.id
    }

    public func createToken(for principal: String) async throws -> CreatedToken {
        try await send("POST", "tokens", ["principal": principal])
    }

    public func listTokens() async throws -> [TokenSummary] { try await all("tokens") }

    public func revokeToken(id: String) async throws {
        let _: [String: String] = try await send("DELETE", "tokens/\(Self.segment(id))")
    }

    public func auditPage(_ filter: AuditFilter, page: PageRequest) async throws -> Page<AuditEvent> {
        try await get(
            "audit",
            [
                "action": filter.action, "principal": filter.principal, "target": filter.target,
                "outcome": filter.outcome?.rawValue, "limit": String(page.limit), "after": page.after,
            ])
    }

    public func verifyAudit() async throws -> AuditVerification { try await get("audit/verify") }
    public func verifyStore() async throws -> StoreVerification { try await get("store/verify") }

    public func collectGarbage(dryRun: Bool, grace: TimeSpan) async throws -> GCReport {
        if dryRun { return try await get("gc/plan", ["grace": grace.description]) }
        return try await send("POST", "gc", ["grace": grace.description])
    }

    public func planPolicy(against: String?) async throws -> PolicyPlan {
        try await get("policy/plan", ["against": against])
    }
    public func applyPolicy() async throws -> PolicyPlan { try await send("POST", "policy/apply") }
}
