import Crypto
import Foundation
import SluiceCore
import SluiceStore
import SluiceTestSupport
import Testing

@testable import SluiceServer

/// Issue 12: the HTTP API of `sluice serve`, as a client sees it: tokens or the anonymous role, 401/403/404/400 with stable
/// codes (and an audit event for each refusal), paged lists, JSON shapes, the OpenAPI document matching the
/// routes, and SIGTERM ending the service cleanly.
@Suite(.serialized) struct APITests {
    @Test func theServiceAnswersAsItsContractSays() async throws {
        let served = try ServedProject()
        #expect(try await served.get("/healthz").status == 200)
        let ready = try await served.get("/readyz")
        #expect(ready.status == 200 && ready.object["status"] as? String == "ready", "\(ready.object)")

        // A request without a token acts as the project's anonymous role (reads internal data, not the audit
        // log), as the command line does; an unknown token, or a header that is not a bearer token, is refused
        // and counted (audited a minute at a time: HostileRequestTests).
        for path in ["/api/v1/status", "/api/v1/runs", "/api/v1/audit", "/api/v1/environments"] {
            let anonymous = try await served.get(path)
            let expected = path.hasSuffix("audit") ? 403 : 200
            #expect(anonymous.status == expected, "\(path): \(anonymous.status) \(anonymous.object)")
            #expect(try await served.get(path, token: "sluice_not-a-token").status == 401, "\(path)")
        }
        let basic = try await served.get("/api/v1/status", authorization: "Basic b3BzOnNlY3JldA==")
        #expect(basic.status == 401 && basic.errorCode == "unauthenticated", "\(basic.object)")
        let metrics = String(decoding: try await served.get("/metrics").body, as: UTF8.self)
        #expect(metrics.contains(#"sluice_auth_failures_total{outcome="refused"} 4"#), "\(metrics)")

        // Status and environments.
        let status = try await served.get("/api/v1/status", as: "alice")
        #expect(status.status == 200)
        #expect(status.object["project"] != nil && status.object["pipelines"] is [Any], "\(status.object)")
        let environments = try await served.get("/api/v1/environments", as: "alice")
        let environmentItems = environments.object["items"] as? [[String: Any]] ?? []
        #expect(environmentItems.contains { $0["name"] as? String == "dev" }, "\(environments.object)")
        // Lists the engine returns whole are paged the same way.
        let firstEnvironment = try await served.get("/api/v1/environments?limit=1", as: "alice")
        let after = try #require(firstEnvironment.object["next"] as? String, "\(firstEnvironment.object)")
        let rest = try await served.get("/api/v1/environments?after=\(after)", as: "alice")
        let names =
            ((firstEnvironment.object["items"] as? [[String: Any]] ?? [])
            + (rest.object["items"] as? [[String: Any]] ?? []))
            .compactMap { $0["name"] as? String }
        #expect(names == environmentItems.compactMap { $0["name"] as? String })

        // Runs, a page at a time.
        let first = try await served.get("/api/v1/runs?limit=1", as: "alice")
        let items = try #require(first.object["items"] as? [[String: Any]])
        #expect(items.count == 1)
        let next = try #require(first.object["next"] as? String)
        let second = try await served.get("/api/v1/runs?limit=1&after=\(next)", as: "alice")
        let secondItems = try #require(second.object["items"] as? [[String: Any]])
        #expect(secondItems.count == 1 && second.object["next"] == nil)
        #expect(items[0]["id"] as? String != secondItems[0]["id"] as? String)
        let runID = try #require(items[0]["id"] as? String)
        #expect(try await served.get("/api/v1/runs/\(runID)", as: "alice").object["id"] as? String == runID)

        // Bad input names its field; unknown names are 404.
        for (query, field) in [
            ("limit=0", "limit"), ("limit=x", "limit"), ("after=nope", "after"), ("status=odd", "status"),
        ] {
            let bad = try await served.get("/api/v1/runs?\(query)", as: "alice")
            #expect(bad.status == 400 && bad.errorCode == "usage" && bad.errorField == field, "\(query): \(bad.object)")
        }
        #expect(try await served.get("/api/v1/audit?outcome=maybe", as: "ops").errorField == "outcome")
        let missing = try await served.get("/api/v1/runs/r-nope", as: "alice")
        #expect(missing.status == 404 && missing.errorCode == "not_found", "\(missing.object)")

        // A principal who may not read dev is refused with the CLI's message, and the refusal is audited.
        let denied = try await served.get("/api/v1/runs/\(runID)", as: "bob")
        #expect(denied.status == 403 && denied.errorCode == "access_denied", "\(denied.object)")
        let audited = try await served.get("/api/v1/audit?principal=bob&outcome=denied", as: "ops")
        let events = try #require(audited.object["items"] as? [[String: Any]])
        #expect(events.count == 1, "audited once: \(audited.object)")

        // Datasets and their gate results; an operation that audits its own refusal is audited once.
        let datasets = try await served.get("/api/v1/datasets?environment=dev", as: "alice")
        #expect(
            (datasets.object["items"] as? [[String: Any]])?.contains { $0["name"] as? String == "raw.orders" } == true)
        #expect(try await served.get("/api/v1/datasets/raw.orders/checks", as: "alice").status == 200)
        #expect(try await served.get("/api/v1/datasets/raw.nope", as: "alice").status == 404)
        #expect(try await served.get("/api/v1/environments/nope/log", as: "alice").status == 404)
        let tokens = try await served.get("/api/v1/tokens", as: "alice")
        #expect(tokens.status == 403 && tokens.errorCode == "access_denied")
        let aliceRefusals = try await served.get("/api/v1/audit?principal=alice&outcome=denied", as: "ops")
        let refused = try #require(aliceRefusals.object["items"] as? [[String: Any]])
        #expect(refused.count == 1, "one event for one refusal: \(refused)")
        #expect(((try await served.get("/api/v1/tokens", as: "ops").object["items"] as? [Any])?.count ?? 0) >= 4)

        // Data, with PII masked for a principal without an unmask grant.
        let customers = try await served.get("/api/v1/datasets/raw.customers/data?environment=dev", as: "alice")
        let text = String(decoding: customers.body, as: UTF8.self)
        #expect(customers.status == 200 && text.hasPrefix("customer_id,"), "\(text)")
        #expect(text.contains("***") && !text.contains("@example.com"), "email is PII: \(text)")
        #expect(try await served.get("/api/v1/datasets/raw.customers/data", as: "bob").status == 403)

        // Environments: created and deleted by those the policy lets, names with a slash sent as %2F.
        let created = try await served.post(
            "/api/v1/environments", #"{"name": "sandbox/api", "from": "dev"}"#, as: "alice")
        #expect(created.status == 201 && created.object["name"] as? String == "sandbox/api", "\(created.object)")
        #expect(try await served.get("/api/v1/environments/sandbox%2Fapi/log", as: "alice").status == 200)
        let badTTL = try await served.post(
            "/api/v1/environments", #"{"name": "sandbox/b", "ttl": "soon"}"#, as: "alice")
        #expect(badTTL.status == 400 && badTTL.errorField == "ttl")
        #expect(try await served.delete("/api/v1/environments/sandbox%2Fapi", as: "alice").status == 403)
        let deleted = try await served.delete("/api/v1/environments/sandbox%2Fapi", as: "ci")
        #expect(deleted.status == 200, "\(deleted.object)")
        #expect(try await served.get("/api/v1/environments/sandbox%2Fapi/log", as: "alice").status == 404)

        // Tokens: admins only; a new token works at once, and not once revoked.
        #expect(try await served.post("/api/v1/tokens", #"{"principal": "bob"}"#, as: "alice").status == 403)
        let made = try await served.post("/api/v1/tokens", #"{"principal": "bob"}"#, as: "ops")
        let secret = try #require(made.object["secret"] as? String, "\(made.object)")
        let tokenID = try #require(made.object["id"] as? String)
        let withNewToken = try await served.get("/api/v1/environments", token: secret)
        #expect(made.status == 201 && withNewToken.status == 200)
        #expect(try await served.delete("/api/v1/tokens/\(tokenID)", as: "ops").status == 200)
        #expect(try await served.get("/api/v1/environments", token: secret).status == 401)

        // The gc plan needs the grants gc needs.
        #expect(try await served.get("/api/v1/gc/plan", as: "alice").status == 403)
        let plan = try await served.get("/api/v1/gc/plan", as: "ci")
        #expect(plan.status == 200 && plan.object["objects"] != nil, "\(plan.object)")

        // Logs and lineage.
        let logs = try await served.get("/api/v1/runs/\(runID)/logs", as: "alice")
        #expect(logs.status == 200 && (logs.json as? [[String: Any]])?.isEmpty == false, "\(logs.object)")
        #expect(try await served.get("/api/v1/runs/\(runID)/logs?step=nope", as: "alice").status == 404)
        let lineage = try await served.get("/api/v1/lineage/staged.orders?direction=up", as: "alice")
        #expect(lineage.status == 200 && lineage.object["dataset"] as? String == "staged.orders", "\(lineage.object)")
        #expect(
            try await served.get("/api/v1/lineage/staged.orders?direction=sideways", as: "alice").errorField
                == "direction")

        // Promotion: the policy decides, the body is checked field by field.
        let notAllowed = try await served.post("/api/v1/promote", #"{"from": "dev", "to": "prod"}"#, as: "alice")
        #expect(notAllowed.status == 403 && notAllowed.errorCode == "access_denied", "\(notAllowed.object)")
        let noTarget = try await served.post("/api/v1/promote", #"{"from": "dev"}"#, as: "ci")
        #expect(noTarget.status == 400 && noTarget.errorField == "to", "\(noTarget.object)")
        let promoted = try await served.post("/api/v1/promote", #"{"from": "dev", "to": "prod"}"#, as: "ci")
        #expect(promoted.status == 200 && promoted.object["to"] as? String == "prod", "\(promoted.object)")
        let ended = try await served.post("/api/v1/runs/\(runID)/cancel", "{}", as: "ci")
        #expect(ended.status == 400 && ended.errorCode == "usage", "a run that ended cannot be cancelled")

        // Starting a run: checked at once, run by the service, followed by its id.
        #expect(try await served.post("/api/v1/runs", #"{"pipeline": "nope"}"#, as: "ci").status == 404)
        #expect(
            try await served.post("/api/v1/runs", #"{"pipeline": "daily", "environment": "dev"}"#, as: "bob").status
                == 403)
        let started = try await served.post(
            "/api/v1/runs", #"{"pipeline": "daily", "environment": "dev", "no_cache": true}"#, as: "ci")
        let startedID = try #require(started.object["id"] as? String, "\(started.object)")
        #expect(started.status == 202)
        var outcome = "running"
        for _ in 0..<100 where outcome == "running" {
            try await Task.sleep(for: .milliseconds(100))
            outcome =
                try await served.get("/api/v1/runs/\(startedID)", as: "alice").object["status"] as? String ?? "running"
        }
        #expect(outcome == "succeeded")

        #expect(
            try await served.post("/api/v1/runs", #"{"pipeline": "daily", "max_parallel": 0}"#, as: "ci").errorField
                == "max_parallel")

        // The routes server mode needs besides: the project, gate results, verification, the policy, gc.
        let summary = try await served.get("/api/v1/project", as: "bob").object
        #expect(summary["defaultEnvironment"] as? String == "dev", "\(summary)")
        #expect((summary["pipelines"] as? [String: [String]])?["daily"] == ["clean_orders", "revenue"])
        let checks = try await served.get("/api/v1/checks?dataset=raw.orders", as: "alice").object
        #expect((checks["items"] as? [[String: Any]])?.isEmpty == false, "\(checks)")
        #expect(try await served.get("/api/v1/checks?dataset=raw.nope", as: "alice").status == 404)
        let chain = try await served.get("/api/v1/audit/verify", as: "ops").object
        #expect(chain["problem"] == nil && (chain["events"] as? Int ?? 0) > 0, "\(chain)")
        #expect(try await served.get("/api/v1/store/verify", as: "alice").status == 403)
        #expect(try await served.get("/api/v1/policy/plan", as: "ops").status == 200)
        #expect(try await served.post("/api/v1/policy/apply", "{}", as: "alice").status == 403)
        #expect(try await served.get("/api/v1/gc/plan?grace=soon", as: "ci").errorField == "grace")
        #expect(try await served.post("/api/v1/gc", #"{"grace": 5}"#, as: "ci").errorField == "grace")
        #expect(try await served.post("/api/v1/gc", "{}", as: "alice").status == 403)
        let runEvents = try await served.get("/api/v1/lineage/staged.orders?format=openlineage", as: "alice")
        #expect(
            (runEvents.json as? [[String: Any]])?.map { $0["eventType"] as? String } == [
                "START", "COMPLETE", "START", "COMPLETE",
            ],
            "\(runEvents.json ?? "")")
        #expect(try await served.get("/api/v1/lineage/staged.orders?format=xml", as: "alice").errorField == "format")

        // Ingest by upload: the same gate; a hostile file name is refused before anything is written.
        let upload = "order_id,customer_id,amount,status,ordered_at\n5,1,x,paid,2026-11-24T10:00:00Z\n"
        let badName = try await served.post(
            "/api/v1/sources/orders_drop/ingest?filename=..%2Fescape.csv", upload, as: "alice")
        #expect(badName.status == 400 && badName.errorField == "filename", "\(badName.object)")
        let failed = try await served.post("/api/v1/sources/orders_drop/ingest?filename=o.csv", upload, as: "alice")
        #expect(failed.status == 422 && failed.errorCode == "gate_failed", "\(failed.object)")
        let report = (failed.object["error"] as? [String: Any])?["report"] as? [String: Any]
        #expect(report?["invalidRows"] as? Int == 1, "\(failed.object)")
        #expect(
            try await served.post("/api/v1/sources/orders_drop/ingest?filename=o.csv", upload, as: "bob").status
                == 403)
        let checked = try await served.post("/api/v1/datasets/raw.orders/check?filename=o.csv", upload, as: "alice")
        #expect(checked.status == 200 && checked.object["invalidRows"] as? Int == 1, "\(checked.object)")
        #expect(
            try await served.post("/api/v1/datasets/raw.orders/check?filename=.hidden", upload, as: "alice")
                .errorField == "filename")
        #expect(try await served.post("/api/v1/datasets/raw.nope/check", upload, as: "alice").status == 404)
        #expect(try await served.post("/api/v1/reproduce", "{}", as: "ci").errorField == "reference")
        #expect(try await served.post("/api/v1/reproduce", #"{"reference": "raw.nope"}"#, as: "ci").status == 400)
        let batches = try await served.get("/api/v1/quarantine", as: "alice").object["items"] as? [[String: Any]]
        let batch = try #require(batches?.first?["id"] as? String)
        let rows = try await served.get("/api/v1/quarantine/\(batch)/rows", as: "alice")
        #expect(rows.status == 200 && String(decoding: rows.body, as: UTF8.self).contains("5,1,x"))

        // SIGTERM: the service stops taking work and exits 0.
        served.process.terminate()
        served.process.waitUntilExit()
        #expect(served.process.terminationStatus == 0)
    }

    /// The served document is `openapi.yaml` as it is in the repository (`scripts/generate-api.sh` embeds it).
    @Test func theServedDocumentIsTheRepositorysOpenAPIYAML() throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("openapi.yaml")
        let text = try String(contentsOf: file, encoding: .utf8)
        #expect(text == OpenAPIDocument.yaml + "\n", "openapi.yaml changed: run scripts/generate-api.sh")
        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json.utf8)) as? [String: Any])
        #expect((document["paths"] as? [String: Any])?.count ?? 0 > 30)
    }

    /// Issue 24 item 5: the generated server, client and types (Sources/SluiceAPIContract) were generated from
    /// the openapi.yaml and generator configuration in the repository, as they are now.
    @Test func theGeneratedContractIsTheRepositorysOpenAPIYAML() throws {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let inputs = try ["openapi.yaml", "openapi-generator-config.yaml"].map {
            try Data(contentsOf: root.appendingPathComponent($0))
        }
        let stamp = SHA256.hash(data: inputs[0] + inputs[1]).map { String(format: "%02x", $0) }.joined()
        let folder = root.appendingPathComponent("Sources/SluiceAPIContract")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter { $0.hasSuffix(".swift") }
        #expect(files.count >= 3)
        for file in files {
            let text = try String(contentsOf: folder.appendingPathComponent(file), encoding: .utf8)
            #expect(
                text.contains("// contract: \(stamp)\n"),
                "\(file) is not generated from openapi.yaml as it is: run scripts/generate-api.sh")
        }
    }

    /// Issue 24 item 5: an operation answers in the media type the contract declares whatever `Accept` asks (a
    /// browser's included; the generated code would fail the answer after the operation ran), and a JSON body
    /// must say that it is JSON.
    @Test func mediaTypesAreTheContractsWhateverTheClientAsks() async throws {
        let served = try ServedProject()
        for accept in ["text/html", "application/xml", "*/*", "text/html,application/xhtml+xml,*/*;q=0.8"] {
            let answer = try await served.get("/api/v1/status", as: "ops", headers: ["Accept": accept])
            #expect(answer.status == 200 && !answer.object.isEmpty, "\(accept): \(answer.status)")
            let refused = try await served.get("/api/v1/audit/verify", as: "alice", headers: ["Accept": accept])
            #expect(refused.status == 403 && refused.errorCode == "access_denied", "\(accept): \(refused.status)")
        }
        let notJSON = try await served.upload("/api/v1/environments", #"{"name": "sandbox/x"}"#, as: "alice")
        #expect(notJSON.status == 400 && notJSON.errorCode == "usage", "\(notJSON.status)")
    }

    /// Issue 24 item 5: every operation is named (a unique operationId, what a generator names it by), and every
    /// JSON body it answers or takes has a schema with its fields, never a bare object.
    @Test func everyOperationIsNamedAndEveryJSONBodyTyped() throws {
        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json.utf8)) as? [String: Any])
        let paths = try #require(document["paths"] as? [String: [String: [String: Any]]])
        var names: [String] = []
        for (path, operations) in paths {
            for (method, operation) in operations {
                let name = operation["operationId"] as? String
                #expect(name != nil, "\(method) \(path) has no operationId")
                names.append(name ?? "")
                let responses = operation["responses"] as? [String: [String: Any]] ?? [:]
                for (status, response) in responses {
                    let json = (response["content"] as? [String: [String: Any]])?["application/json"]
                    guard let schema = json?["schema"] as? [String: Any], path != "/api/v1/openapi.json" else {
                        continue
                    }
                    #expect(Self.isTyped(schema), "\(method) \(path) \(status) answers an untyped object")
                }
            }
        }
        #expect(Set(names).count == names.count, "operationIds are unique")
        #expect(names.count == 38)
    }

    /// A reference, a list of something, a choice, or an object with its properties named.
    static func isTyped(_ schema: [String: Any]) -> Bool {
        if schema["$ref"] != nil || schema["oneOf"] != nil || schema["items"] != nil { return true }
        return schema["properties"] != nil
    }

    /// Every route the router registers is in the OpenAPI document, every documented path answers, and the
    /// document is OpenAPI 3.1.
    /// Every error code the service can answer with is one the document's error schema names.
    @Test func theDocumentNamesEveryErrorCode() throws {
        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json.utf8)) as? [String: Any])
        let schemas = (document["components"] as? [String: Any])?["schemas"] as? [String: Any]
        let error = (schemas?["Error"] as? [String: Any])?["properties"] as? [String: Any]
        let inner = ((error?["error"] as? [String: Any])?["properties"] as? [String: Any])?["code"] as? [String: Any]
        let named = Set((inner?["enum"] as? [String]) ?? [])
        #expect(named == Set(ErrorCode.allCases.map(\.rawValue)), "\(named)")
    }

    @Test func theOpenAPIDocumentDescribesExactlyTheRoutes() async throws {
        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json.utf8)) as? [String: Any])
        #expect(document["openapi"] as? String == "3.1.0")
        let paths = try #require(document["paths"] as? [String: [String: Any]])
        var documented = Set<String>()
        for (path, operations) in paths {
            for method in operations.keys { documented.insert("\(method.uppercased()) \(path)") }
        }
        let project = try CLIProject()
        let context = ServerContext(
            project: try ProjectLoader(files: LocalFileSource()).loadValidated(root: project.folder).project,
            objects: InMemoryObjectStore(),
            metadata: InMemoryMetadataStore())
        // The web UI's pages (under /ui, and / and /favicon.ico) are not part of the API.
        let api = SluiceAPI(context: context).router().routes.filter {
            let path = "\($0.path)"
            return !path.hasPrefix("/ui") && path != "/" && path != "/favicon.ico"
        }
        let registered = Set(
            api.map { route in "\(route.method.rawValue) " + "\(route.path)".replacing(/:([a-z]+)/) { "{\($0.1)}" } })
        #expect(
            registered == documented,
            "registered only: \(registered.subtracting(documented)); documented only: \(documented.subtracting(registered))"
        )

        let served = try ServedProject()
        let runID = try #require(
            (try await served.get("/api/v1/runs?limit=1", as: "ops").object["items"] as? [[String: Any]])?.first?["id"]
                as? String)
        for (path, operations) in paths {
            let name = path.hasPrefix("/api/v1/environments") ? "dev" : "raw.orders"
            let concrete = path.replacingOccurrences(of: "{id}", with: runID)
                .replacingOccurrences(of: "{name}", with: name).replacingOccurrences(
                    of: "{dataset}", with: "staged.orders")
            if operations["get"] != nil {
                // gc needs delete grants (ci's); a quarantine id that does not exist answers 404 from the handler.
                let answer = try await served.get(concrete, as: path.hasSuffix("/gc/plan") ? "ci" : "ops")
                if path.contains("{id}") && path.hasPrefix("/api/v1/quarantine") {
                    #expect(answer.status == 404 && answer.errorCode == "not_found", "GET \(path)")
                    continue
                }
                #expect(answer.status == 200, "GET \(path): \(answer.status) \(answer.object)")
            }
            if operations["delete"] != nil {
                // An unknown name: the handler's 404 with a code, not the router's.
                let answer = try await served.delete(
                    path.replacingOccurrences(of: "{name}", with: "nope").replacingOccurrences(
                        of: "{id}", with: "nope"),
                    as: path.contains("tokens") ? "ops" : "ci")
                #expect(answer.status == 404 && answer.errorCode == "not_found", "DELETE \(path): \(answer.status)")
            }
            if operations["post"] != nil {
                // Answered by its handler: a JSON body with a code, not the router's bare 404.
                let answer = try await served.post(concrete, #"{"from": "dev", "to": "prod"}"#, as: "ci")
                #expect(
                    (200...202).contains(answer.status) || answer.errorCode != nil, "POST \(path): \(answer.status)")
                #expect(answer.status != 405, "POST \(path): \(answer.status)")
                #expect(answer.status != 404 || answer.errorCode == "not_found", "POST \(path): the router's 404")
            }
        }
    }
}
