import Foundation
import Hummingbird
import SluiceCore

/// The data flow diagram with the access policies of one environment, and the policy findings (as
/// `sluice diagram` draws them), for signed-in principals.
struct DiagramView: Sendable {
    /// The findings of one kind: the first few shown, the rest behind a disclosure.
    struct FindingGroup: Sendable {
        var kind: String
        var count: Int
        var messages: [String]
    }

    var chrome: Chrome
    var environments: [RunsView.Choice]
    var environment: String
    var image: String
    /// The picture's width at the chosen zoom, in pixels; `nil` fits it to the page.
    var width: Int?
    var zooms: [RunsView.Choice]
    var findings: Listing<FindingGroup>?
    var total: Int

    /// The zoom levels offered, in percent of the picture's own size (`fit`: the page's width).
    static let zoomLevels = ["fit", "50", "75", "100", "150", "200", "300"]

    static func model(_ viewer: Viewer, request: Request) async throws -> DataFlowModel {
        guard viewer.session != nil else {
            try await viewer.workspace.refuse(
                "the data flow and its policies are shown to signed-in principals", remedy: "sign in with your token",
                action: "ui.page", target: "GET \(request.uri.path)")
        }
        let project = viewer.project
        let environment =
            request.uri.queryParameters.get("env").flatMap { $0.isEmpty ? nil : $0 }
            ?? project.environments.first { $0.protected && $0.pattern.isConcrete }?.pattern.text
            ?? project.defaultEnvironment
        guard NameRules.isEnvironmentPattern(environment) else {
            throw UsageError("\(NameRules.quoted(environment)) is not an environment name")
        }
        return DataFlowModel(project: project, environment: environment)
    }

    static func build(_ viewer: Viewer, request: Request) async throws -> DiagramView {
        let model = try await model(viewer, request: request)
        let names = viewer.project.environments.map(\.pattern.text).sorted()
        let zoom = request.uri.queryParameters.get("zoom") ?? "100"
        guard zoomLevels.contains(zoom) else {
            throw UsageError("zoom must be one of \(zoomLevels.joined(separator: ", "))")
        }
        return DiagramView(
            chrome: Chrome(title: "Data flow", section: .flow, viewer: viewer, here: request.uri.description),
            environments: names.map { RunsView.Choice(value: $0, label: $0, selected: $0 == model.environment) },
            environment: model.environment, image: "/ui/flow.svg?env=\(Format.query(model.environment))",
            width: Int(zoom).map { naturalWidth(SVGDiagram(model: model).render()) * $0 / 100 },
            zooms: zoomLevels.map {
                RunsView.Choice(value: $0, label: $0 == "fit" ? "fit" : "\($0)%", selected: $0 == zoom)
            },
            findings: .of(
                PolicyFinding.Kind.allCases.compactMap { kind in
                    let messages = model.findings.filter { $0.kind == kind }.map(\.message)
                    return messages.isEmpty
                        ? nil : FindingGroup(kind: kind.rawValue, count: messages.count, messages: messages)
                }), total: model.findings.count)
    }

    /// The width an SVG declares on its root element, in pixels.
    static func naturalWidth(_ svg: String) -> Int {
        guard let range = svg.range(of: #"width="[0-9.]+""#, options: .regularExpression) else { return 800 }
        return Int(Double(svg[range].dropFirst(7).dropLast()) ?? 800)
    }

    /// The SVG itself: an image with its own style sheet inline (and nothing else allowed).
    static func image(_ viewer: Viewer, request: Request) async throws -> Response {
        let svg = SVGDiagram(model: try await model(viewer, request: request)).render()
        var response = Response(
            status: .ok, headers: [.contentType: "image/svg+xml; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: svg)))
        WebResponse.secure(&response.headers)
        response.headers[.contentSecurityPolicy] = "default-src 'none'; style-src 'unsafe-inline'"
        response.headers[.cacheControl] = "no-store"
        return response
    }
}
