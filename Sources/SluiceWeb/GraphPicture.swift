import Foundation

/// A directed graph drawn left to right as SVG: each node in the column of its longest path from a root, edges
/// as curves. Coordinates are computed here; the `graph` template only writes them out (escaped).
struct GraphPicture: Sendable {
    struct Node: Sendable {
        var x: Int
        var y: Int
        var width: Int
        var height: Int
        var textX: Int
        var textY: Int
        var subY: Int
        var label: String
        var sublabel: String
        var tone: String
        var href: String
        var title: String
        var focus: Bool
    }

    struct Edge: Sendable {
        var path: String
    }

    struct Input: Sendable {
        var label: String
        var sublabel: String
        var tone: String
        var href: String
        var title: String
        var focus: Bool = false
    }

    var width: Int
    var height: Int
    var nodes: [Node]
    var edges: [Edge]
    var label: String

    static let nodeWidth = 210
    static let nodeHeight = 40
    static let columnGap = 56
    static let rowGap = 14

    /// Lays out `inputs` with edges `from → to` (indices into `inputs`); cycles are broken where found.
    init(_ inputs: [Input], edges: [(from: Int, to: Int)], label: String) {
        let layers = Self.layers(count: inputs.count, edges: edges)
        var rowsUsed: [Int: Int] = [:]
        var positions: [(x: Int, y: Int)] = []
        for index in inputs.indices {
            let layer = layers[index]
            let row = rowsUsed[layer, default: 0]
            rowsUsed[layer] = row + 1
            positions.append(
                (8 + layer * (Self.nodeWidth + Self.columnGap), 8 + row * (Self.nodeHeight + Self.rowGap)))
        }
        nodes = inputs.indices.map { index in
            let input = inputs[index]
            let (x, y) = positions[index]
            return Node(
                x: x, y: y, width: Self.nodeWidth, height: Self.nodeHeight, textX: x + 10, textY: y + 17,
                subY: y + 32, label: Self.clip(input.label, 25), sublabel: Self.clip(input.sublabel, 32),
                tone: input.tone, href: input.href, title: input.title, focus: input.focus)
        }
        self.edges = edges.map { edge in
            let (fromX, fromY) = positions[edge.from]
            let (toX, toY) = positions[edge.to]
            let startX = fromX + Self.nodeWidth
            let startY = fromY + Self.nodeHeight / 2
            let endY = toY + Self.nodeHeight / 2
            let middle = (startX + toX) / 2
            return Edge(path: "M\(startX),\(startY) C\(middle),\(startY) \(middle),\(endY) \(toX - 6),\(endY)")
        }
        let columns = (layers.max() ?? 0) + 1
        width = 16 + columns * Self.nodeWidth + (columns - 1) * Self.columnGap
        height = 16 + max(1, rowsUsed.values.max() ?? 1) * (Self.nodeHeight + Self.rowGap)
        self.label = label
    }

    /// The column of each node: the length of the longest path reaching it (Kahn's order; nodes on a cycle
    /// stay in the column they had when the cycle was found).
    static func layers(count: Int, edges: [(from: Int, to: Int)]) -> [Int] {
        var incoming = [Int](repeating: 0, count: count)
        var outgoing = [[Int]](repeating: [], count: count)
        for edge in edges where edge.from != edge.to {
            incoming[edge.to] += 1
            outgoing[edge.from].append(edge.to)
        }
        var layer = [Int](repeating: 0, count: count)
        var ready = (0..<count).filter { incoming[$0] == 0 }
        while let node = ready.popLast() {
            for next in outgoing[node] {
                layer[next] = max(layer[next], layer[node] + 1)
                incoming[next] -= 1
                if incoming[next] == 0 { ready.append(next) }
            }
        }
        return layer
    }

    static func clip(_ text: String, _ limit: Int) -> String {
        text.count <= limit ? text : String(text.prefix(limit - 1)) + "…"
    }
}
