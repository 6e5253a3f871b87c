import Foundation
import SluiceCore

/// A version's lineage as a graph, focused on it: the versions it was made from and the versions made from it,
/// `hops` steps each way.
enum LineagePicture {
    static func draw(_ root: LineageNode, hops: Int, environment: String) -> GraphPicture {
        var inputs: [GraphPicture.Input] = []
        var index: [String: Int] = [:]
        var edges: Set<Edge> = []
        func node(_ lineage: LineageNode, focus: Bool) -> Int {
            let key = "\(lineage.dataset)@\(lineage.version.hex)"
            if let known = index[key] { return known }
            let step = lineage.made.map { "\($0.pipeline).\($0.step)" } ?? lineage.origin ?? "ingested"
            inputs.append(
                GraphPicture.Input(
                    label: lineage.dataset.description, sublabel: "\(lineage.version.short) · \(step)",
                    tone: focus ? "run" : "off",
                    href:
                        "/ui/datasets/\(Format.segment(lineage.dataset.description))?env=\(Format.query(environment))",
                    title: "\(lineage.dataset)@\(lineage.version.short), made by \(step)", focus: focus))
            index[key] = inputs.count - 1
            return inputs.count - 1
        }
        let center = node(root, focus: true)
        func walk(_ lineage: LineageNode, from: Int, depth: Int, upstream: Bool) {
            guard depth < hops else { return }
            for next in upstream ? lineage.upstream : lineage.downstream {
                let other = node(next, focus: false)
                edges.insert(upstream ? Edge(from: other, to: from) : Edge(from: from, to: other))
                walk(next, from: other, depth: depth + 1, upstream: upstream)
            }
        }
        walk(root, from: center, depth: 0, upstream: true)
        walk(root, from: center, depth: 0, upstream: false)
        return GraphPicture(
            inputs, edges: edges.sorted { ($0.from, $0.to) < ($1.from, $1.to) }.map { (from: $0.from, to: $0.to) },
            label: "Lineage of \(root.dataset)@\(root.version.short)")
    }

    struct Edge: Hashable {
        var from: Int
        var to: Int
    }
}
