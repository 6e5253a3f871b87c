import Foundation

/// The data flow drawn as SVG by Sluice itself: zone bands, boxes, curved edges with arrows, the policy
/// findings in red and listed under the picture. Every text is XML-escaped; nothing is fetched.
public struct SVGDiagram: Sendable {
    public let model: DataFlowModel
    public let layout: DiagramLayout

    /// Above `compactAbove` datasets, boxes show names only and each zone's quarantine is one box.
    public init(model: DataFlowModel, compactAbove: Int = 40) {
        let large = model.nodes.filter { $0.kind == .dataset }.count > compactAbove
        self.model = large ? model.mergingQuarantine() : model
        self.layout = DiagramLayout(model: self.model, compactAbove: compactAbove)
    }

    static let red = "#cf222e"

    public func render() -> String {
        let findingsTop = layout.height + 8
        let findingLines = model.findings.isEmpty ? ["no policy findings"] : model.findings.map { "⚠ \($0)" }
        let textWidth = (findingLines + [title]).map { Double($0.count) * 6.4 + 2 * DiagramLayout.margin }.max() ?? 0
        let width = (max(layout.width, textWidth)).rounded(.up)
        let height = (findingsTop + 26 + Double(findingLines.count) * 17 + DiagramLayout.margin).rounded(.up)
        var out = [
            #"<svg xmlns="http://www.w3.org/2000/svg" width="\#(Self.n(width))" height="\#(Self.n(height))" viewBox="0 0 \#(Self.n(width)) \#(Self.n(height))" font-family="DejaVu Sans, Helvetica, Arial, sans-serif" font-size="11">"#,
            "<title>\(Self.escape(title))</title>",
            "<style>\(Self.style)</style>",
            "<defs>" + Self.marker("arrow", "arrowhead") + Self.marker("arrow-red", "arrowhead red") + "</defs>",
            #"<rect class="paper" width="100%" height="100%"/>"#,
        ]
        out += layout.bands.map(band)
        // Red edges last, so that they are drawn over the others.
        out += model.edges.indices.sorted {
            (model.edges[$0].flagged ? 1 : 0, $0) < (model.edges[$1].flagged ? 1 : 0, $1)
        }
        .compactMap(edge)
        out += model.nodes.compactMap(node)
        out.append(
            #"<text class="heading" x="\#(Self.n(DiagramLayout.margin))" y="\#(Self.n(findingsTop + 14))">\#(Self.escape(title))</text>"#
        )
        for (index, line) in findingLines.enumerated() {
            let y = findingsTop + 32 + Double(index) * 17
            let kind = model.findings.isEmpty ? "none" : "finding"
            out.append(
                #"<text class="\#(kind)" x="\#(Self.n(DiagramLayout.margin))" y="\#(Self.n(y))">\#(Self.escape(line))</text>"#
            )
        }
        out.append("</svg>")
        return out.joined(separator: "\n") + "\n"
    }

    static func marker(_ id: String, _ classes: String) -> String {
        #"<marker id="\#(id)" viewBox="0 0 8 8" refX="8" refY="4" markerWidth="8" markerHeight="8" markerUnits="userSpaceOnUse" orient="auto"><path class="\#(classes)" d="M0,0 L8,4 L0,8 z"/></marker>"#
    }

    var title: String {
        "Data flow of \(model.project) in \(model.environment): \(model.findings.count) policy finding\(model.findings.count == 1 ? "" : "s")"
    }

    static let style = """
        .paper{fill:#ffffff}.band{fill:#f6f8fa;stroke:#d0d7de}.band.quarantine{fill:#fff8e6;stroke:#d4a72c;stroke-dasharray:4 3}\
        .band-title{font-weight:bold;fill:#57606a;font-size:12px}.box{fill:#ffffff;stroke:#8c959f}\
        .source .box{fill:#ddf4ff;stroke:#54aeff}.step .box{fill:#fbefff;stroke:#c297ff}\
        .quarantine .box{fill:#fff1e5;stroke:#d4a72c}.label{font-weight:bold;fill:#1f2328}.detail{fill:#57606a;font-size:10px}\
        .flagged .box{stroke:#cf222e;stroke-width:2}.flagged .label{fill:#cf222e}\
        .edge{fill:none;stroke:#8c959f;stroke-width:1.2}.edge.quarantine{stroke-dasharray:4 3;stroke:#d4a72c}\
        .edge.flagged{stroke:#cf222e;stroke-width:2}.heading{font-weight:bold;font-size:13px;fill:#1f2328}\
        .finding{fill:#cf222e;font-size:12px}.none{fill:#1a7f37;font-size:12px}.arrowhead{fill:#57606a}.arrowhead.red{fill:#cf222e}
        """

    private func band(_ band: DiagramLayout.Band) -> String {
        let kind = band.quarantine ? "band quarantine" : "band"
        return
            #"<g><rect class="\#(kind)" x="\#(Self.n(band.x))" y="\#(Self.n(band.y))" width="\#(Self.n(band.width))" height="\#(Self.n(band.height))" rx="6"/><text class="band-title" x="\#(Self.n(band.x + 10))" y="\#(Self.n(band.y + 19))">\#(Self.escape(band.title))</text></g>"#
    }

    private func edge(_ index: Int) -> String? {
        let edge = model.edges[index]
        let points = layout.points(of: index)
        guard let start = points.first else { return nil }
        var path = "M\(Self.n(start.0)),\(Self.n(start.1))"
        // Curves between columns, straight lines through waypoints.
        for (offset, (from, to)) in zip(points, points.dropFirst()).enumerated() {
            if offset % 2 == 1 {
                path += " L\(Self.n(to.0)),\(Self.n(to.1))"
            } else {
                let bend = max(16, (to.0 - from.0) / 2)
                path +=
                    " C\(Self.n(from.0 + bend)),\(Self.n(from.1)) \(Self.n(to.0 - bend)),\(Self.n(to.1)) \(Self.n(to.0)),\(Self.n(to.1))"
            }
        }
        let classes = ["edge", edge.kind.rawValue] + (edge.flagged ? ["flagged"] : [])
        let marker = edge.flagged ? "arrow-red" : "arrow"
        return
            #"<path class="\#(classes.joined(separator: " "))" d="\#(path)" marker-end="url(#\#(marker))"><title>\#(Self.escape("\(edge.kind.rawValue): \(edge.from) → \(edge.to)"))</title></path>"#
    }

    private func node(_ node: DataFlowModel.Node) -> String? {
        guard let box = layout.boxes[node.id] else { return nil }
        let classes = ["node", node.kind.rawValue] + (node.flagged ? ["flagged"] : [])
        let maxCharacters = Int((box.width - 16) / 6.2)
        var parts = [
            #"<g class="\#(classes.joined(separator: " "))" id="\#(Self.escape(node.id))">"#,
            "<title>\(Self.escape(([node.label] + node.details).joined(separator: "\n")))</title>",
            #"<rect class="box" x="\#(Self.n(box.x))" y="\#(Self.n(box.y))" width="\#(Self.n(box.width))" height="\#(Self.n(box.height))" rx="4"/>"#,
            #"<text class="label" x="\#(Self.n(box.x + 8))" y="\#(Self.n(box.y + 15))">\#(Self.escape(Self.clipped(node.label, maxCharacters)))</text>"#,
        ]
        let shown = layout.compact ? [] : node.kind == .dataset ? node.details : Array(node.details.prefix(1))
        for (index, line) in shown.enumerated() {
            let y = box.y + 15 + Double(index + 1) * DiagramLayout.lineHeight
            parts.append(
                #"<text class="detail" x="\#(Self.n(box.x + 8))" y="\#(Self.n(y))">\#(Self.escape(Self.clipped(line, maxCharacters + 4)))</text>"#
            )
        }
        parts.append("</g>")
        return parts.joined()
    }

    static func clipped(_ text: String, _ limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(max(1, limit - 1))) + "…"
    }

    /// A coordinate with at most one decimal, so that the output is stable.
    static func n(_ value: Double) -> String {
        let rounded = (value * 10).rounded() / 10
        return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
    }

    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default:
                // Characters XML 1.0 does not allow are dropped.
                if character.unicodeScalars.allSatisfy({ $0.value >= 0x20 || $0 == "\n" || $0 == "\t" }) {
                    out.append(character)
                }
            }
        }
        return out
    }
}
