import Foundation

/// The data flow as Graphviz DOT: a cluster per zone (with its quarantine), sources and steps around them,
/// findings in red and as comments.
public struct DotDiagram: Sendable {
    public let model: DataFlowModel

    public init(model: DataFlowModel) { self.model = model }

    public func render() -> String {
        var lines = [
            "// Data flow of \(model.project) in \(model.environment), written by sluice diagram",
            "digraph \(Self.quoted("sluice \(model.project)")) {",
            "  rankdir=LR;",
            "  node [shape=box, style=\"rounded,filled\", fillcolor=\"#ffffff\", fontname=\"Helvetica\", fontsize=10];",
        ]
        lines += model.findings.map {
            "  // finding \($0.kind.rawValue): \($0.message.replacingOccurrences(of: "\n", with: " "))"
        }
        let sources = model.nodes.filter { $0.kind == .source }
        if !sources.isEmpty {
            lines.append("  subgraph \"cluster_sources\" {")
            lines.append("    label=\"sources\";")
            lines += sources.map { "    " + node($0) }
            lines.append("  }")
        }
        for zone in model.zones {
            let held = model.nodes.filter { ($0.kind == .dataset || $0.kind == .quarantine) && $0.zone == zone }
            guard !held.isEmpty else { continue }
            lines.append("  subgraph \(Self.quoted("cluster_zone_\(zone)")) {")
            lines.append("    label=\(Self.quoted("zone \(zone)"));")
            lines += held.map { "    " + node($0) }
            lines.append("  }")
        }
        lines += model.nodes.filter { $0.kind == .step }.map { "  " + node($0) }
        for edge in model.edges {
            var attributes: [String] = []
            if edge.kind == .quarantine { attributes.append("style=dashed") }
            if edge.flagged { attributes.append("color=\"#cf222e\"") }
            let suffix = attributes.isEmpty ? "" : " [\(attributes.joined(separator: ", "))]"
            lines.append("  \(Self.quoted(edge.from)) -> \(Self.quoted(edge.to))\(suffix);")
        }
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }

    private func node(_ node: DataFlowModel.Node) -> String {
        let label = ([node.label] + node.details).joined(separator: "\n")
        var attributes = ["label=\(Self.quoted(label))"]
        switch node.kind {
        case .source: attributes.append("fillcolor=\"#ddf4ff\"")
        case .step: attributes.append("fillcolor=\"#fbefff\"")
        case .quarantine: attributes.append("fillcolor=\"#fff1e5\", style=\"rounded,filled,dashed\"")
        case .dataset: break
        }
        if node.flagged { attributes.append("color=\"#cf222e\", fontcolor=\"#cf222e\", penwidth=2") }
        return "\(Self.quoted(node.id)) [\(attributes.joined(separator: ", "))];"
    }

    /// A DOT double-quoted string: `\` and `"` escaped, line breaks as `\n`.
    static func quoted(_ text: String) -> String {
        let escaped = text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\r", with: "").replacingOccurrences(of: "\n", with: "\\n")
        return "\"\(escaped)\""
    }
}

/// The data flow as a Mermaid flowchart (renders in GitHub and GitLab markdown): a subgraph per zone,
/// findings in red and as comments.
public struct MermaidDiagram: Sendable {
    public let model: DataFlowModel

    public init(model: DataFlowModel) { self.model = model }

    public func render() -> String {
        let ids = Dictionary(uniqueKeysWithValues: model.nodes.enumerated().map { ($1.id, "n\($0)") })
        var lines = [
            "%% Data flow of \(Self.comment(model.project)) in \(Self.comment(model.environment)), written by sluice diagram",
            "flowchart LR",
        ]
        lines += model.findings.map { "  %% finding \($0.kind.rawValue): \(Self.comment($0.message))" }
        func block(_ id: String, _ title: String, _ nodes: [DataFlowModel.Node]) {
            guard !nodes.isEmpty else { return }
            lines.append("  subgraph \(id) [\(Self.label(title))]")
            lines += nodes.map { "    " + node($0, ids[$0.id]!) }
            lines.append("  end")
        }
        block("sources", "sources", model.nodes.filter { $0.kind == .source })
        for (index, zone) in model.zones.enumerated() {
            block(
                "zone\(index)", "zone \(zone)",
                model.nodes.filter { ($0.kind == .dataset || $0.kind == .quarantine) && $0.zone == zone })
        }
        lines += model.nodes.filter { $0.kind == .step }.map { "  " + node($0, ids[$0.id]!) }
        var red: [Int] = []
        for (index, edge) in model.edges.enumerated() {
            guard let from = ids[edge.from], let to = ids[edge.to] else { continue }
            lines.append("  \(from) \(edge.kind == .quarantine ? "-.->" : "-->") \(to)")
            if edge.flagged { red.append(index) }
        }
        lines.append("  classDef finding stroke:#cf222e,stroke-width:2px,color:#cf222e")
        let flagged = model.nodes.filter(\.flagged).compactMap { ids[$0.id] }
        if !flagged.isEmpty { lines.append("  class \(flagged.joined(separator: ",")) finding") }
        if !red.isEmpty {
            lines.append("  linkStyle \(red.map(String.init).joined(separator: ",")) stroke:#cf222e,stroke-width:2px")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func node(_ node: DataFlowModel.Node, _ id: String) -> String {
        let text = Self.label(([node.label] + node.details).joined(separator: "\n"))
        switch node.kind {
        case .source: return "\(id)[/\(text)/]"
        case .step: return "\(id)([\(text)])"
        case .quarantine: return "\(id)[(\(text))]"
        case .dataset: return "\(id)[\(text)]"
        }
    }

    /// A quoted Mermaid label: quotes and angle brackets as entity codes, line breaks as `<br/>`.
    static func label(_ text: String) -> String {
        let escaped = text.replacingOccurrences(of: "#", with: "#35;").replacingOccurrences(of: "\"", with: "#quot;")
            .replacingOccurrences(of: "<", with: "#lt;").replacingOccurrences(of: ">", with: "#gt;")
            .replacingOccurrences(of: "\r", with: "").replacingOccurrences(of: "\n", with: "<br/>")
        return "\"\(escaped)\""
    }

    static func comment(_ text: String) -> String {
        text.replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
    }
}
