import Foundation

/// Where each node of a data flow goes: in columns by zone (sources, then for each zone the steps writing it
/// and its datasets, with its quarantine below), ordered within each column to cross few edges (barycentre
/// sweeps), top-aligned. With many datasets, boxes shrink to their names (the details become tooltips).
public struct DiagramLayout: Sendable {
    public struct Box: Sendable, Hashable {
        public var x: Double
        public var y: Double
        public var width: Double
        public var height: Double
        public var column: Int

        public var left: (Double, Double) { (x, y + height / 2) }
        public var right: (Double, Double) { (x + width, y + height / 2) }
    }

    /// A titled area behind a column: a zone, the sources, a zone's quarantine.
    public struct Band: Sendable, Hashable {
        public var title: String
        public var x: Double
        public var y: Double
        public var width: Double
        public var height: Double
        public var quarantine: Bool
    }

    public var boxes: [String: Box] = [:]
    public var bands: [Band] = []
    public var width: Double = 0
    public var height: Double = 0
    /// Names only: details are left to tooltips.
    public var compact: Bool
    /// Node ids per column, top to bottom; ids starting with `~` are the waypoints of long edges.
    public var columns: [[String]] = []
    /// For each edge (by its index in the model), the boxes it passes: its ends and, for an edge spanning
    /// several columns, a waypoint in each column between, which takes room like a thin node so that the edge
    /// runs between boxes instead of over them.
    public var routes: [[String]] = []

    static let margin = 24.0
    static let header = 30.0
    static let gap = 12.0
    static let columnGap = 56.0
    static let lineHeight = 13.0

    /// `ordered: false` keeps each column in name order (to measure what ordering saves).
    public init(model: DataFlowModel, compactAbove: Int = 40, ordered: Bool = true) {
        compact = model.nodes.filter { $0.kind == .dataset }.count > compactAbove
        columns = Self.columns(of: model)
        addWaypoints(model)
        if ordered { order(model) }
        place(model)
    }

    /// Sources; then per zone, in rank order, the steps writing that rank and the datasets of that rank
    /// (quarantine below the first). A dataset's rank within its zone is 0 unless a step makes it from
    /// datasets of the same zone: then one more than the highest of those, so that a flow within a zone runs
    /// left to right too.
    static func columns(of model: DataFlowModel) -> [[String]] {
        var columns: [[String]] = [model.nodes.filter { $0.kind == .source }.map(\.id)]
        let ranks = ranks(of: model)
        for zone in model.zones {
            let held = model.nodes.filter { ($0.kind == .dataset || $0.kind == .step) && zoneOf($0, model) == zone }
            let top = held.map { ranks[$0.id] ?? 0 }.max() ?? 0
            for rank in 0...top {
                let steps = held.filter { $0.kind == .step && ranks[$0.id] ?? 0 == rank }.map(\.id)
                if !steps.isEmpty { columns.append(steps) }
                var data = held.filter { $0.kind == .dataset && ranks[$0.id] ?? 0 == rank }.map(\.id)
                if rank == 0 {
                    data += model.nodes.filter { $0.kind == .quarantine && $0.zone == zone }.map(\.id)
                }
                columns.append(data)
            }
        }
        return columns.filter { !$0.isEmpty }
    }

    /// The zone a node is drawn in: a step's is the zone it writes (the last zone when it writes none).
    static func zoneOf(_ node: DataFlowModel.Node, _ model: DataFlowModel) -> String? {
        node.kind == .step ? node.zone ?? model.zones.last : node.zone
    }

    static func ranks(of model: DataFlowModel) -> [String: Int] {
        let nodes = Dictionary(model.nodes.map { ($0.id, $0) }) { first, _ in first }
        var inputs: [String: [DataFlowModel.Node]] = [:]
        for edge in model.edges where edge.kind == .read {
            if let input = nodes[edge.from] { inputs[edge.to, default: []].append(input) }
        }
        var rank: [String: Int] = [:]
        // Relaxed as many times as there are nodes at most (the validator refuses cycles; this still ends).
        for _ in 0..<max(1, model.nodes.count) {
            var changed = false
            for edge in model.edges where edge.kind == .write {
                guard let step = nodes[edge.from], let output = nodes[edge.to] else { continue }
                let local =
                    (inputs[step.id] ?? []).filter { $0.zone == output.zone }.map { (rank[$0.id] ?? 0) + 1 }.max() ?? 0
                if rank[output.id] ?? 0 < local {
                    rank[output.id] = local
                    changed = true
                }
                if zoneOf(step, model) == output.zone, rank[step.id] ?? 0 < rank[output.id] ?? 0 {
                    rank[step.id] = rank[output.id]
                    changed = true
                }
            }
            if !changed { break }
        }
        return rank
    }

    private mutating func addWaypoints(_ model: DataFlowModel) {
        var column: [String: Int] = [:]
        for (index, ids) in columns.enumerated() { for id in ids { column[id] = index } }
        routes = model.edges.enumerated().map { index, edge in
            guard let from = column[edge.from], let to = column[edge.to], to > from + 1 else {
                return [edge.from, edge.to]
            }
            let waypoints = (from + 1..<to).map { at -> String in
                let id = "~\(index)~\(at)"
                columns[at].append(id)
                return id
            }
            return [edge.from] + waypoints + [edge.to]
        }
    }

    /// Barycentre ordering: each node moves to the mean position of its neighbours in the columns already
    /// placed, sweeping right then left, a few times. Quarantine stays below the datasets of its column.
    private mutating func order(_ model: DataFlowModel) {
        var neighbours: [String: [String]] = [:]
        for route in routes {
            for (from, to) in zip(route, route.dropFirst()) {
                neighbours[from, default: []].append(to)
                neighbours[to, default: []].append(from)
            }
        }
        var column: [String: Int] = [:]
        for (index, ids) in columns.enumerated() { for id in ids { column[id] = index } }
        let kinds = Dictionary(model.nodes.map { ($0.id, $0.kind) }) { first, _ in first }
        for sweep in 0..<8 {
            let forward = sweep % 2 == 0
            var position: [String: Double] = [:]
            for ids in columns {
                for (index, id) in ids.enumerated() { position[id] = Double(index) / Double(max(1, ids.count)) }
            }
            for index in forward ? Array(columns.indices) : columns.indices.reversed() {
                let ids = columns[index]
                let keys = ids.enumerated().map { offset, id -> (Double, Int, String) in
                    let around = (neighbours[id] ?? []).filter { other in
                        guard let at = column[other] else { return false }
                        return forward ? at < index : at > index
                    }
                    let centre =
                        around.isEmpty
                        ? position[id] ?? 0 : around.map { position[$0] ?? 0 }.reduce(0, +) / Double(around.count)
                    let band = kinds[id] == .quarantine ? 1 : 0
                    return (Double(band) * 10 + centre, offset, id)
                }
                columns[index] = keys.sorted { ($0.0, $0.1) < ($1.0, $1.1) }.map(\.2)
                for (offset, id) in columns[index].enumerated() {
                    position[id] = Double(offset) / Double(max(1, columns[index].count))
                }
            }
        }
    }

    func size(of node: DataFlowModel.Node) -> (Double, Double) {
        let width: Double = node.kind == .dataset || node.kind == .quarantine ? (compact ? 190 : 290) : 200
        let lines = compact ? 0 : (node.kind == .dataset ? node.details.count : min(1, node.details.count))
        return (width, 22 + Double(lines) * Self.lineHeight)
    }

    static let waypointHeight = 6.0

    private mutating func place(_ model: DataFlowModel) {
        let nodes = Dictionary(model.nodes.map { ($0.id, $0) }) { first, _ in first }
        var x = Self.margin
        var bottom = 0.0
        for (index, ids) in columns.enumerated() {
            let width = ids.compactMap { nodes[$0].map { size(of: $0).0 } }.max() ?? 190
            var y = Self.margin + Self.header
            var quarantineTop: Double?
            for id in ids {
                guard let node = nodes[id] else {
                    // A waypoint: as wide as the column, so the edge passes straight through it.
                    boxes[id] = Box(x: x, y: y, width: width, height: Self.waypointHeight, column: index)
                    y += Self.waypointHeight + Self.gap / 2
                    continue
                }
                if node.kind == .quarantine && quarantineTop == nil {
                    y += Self.gap + Self.header
                    quarantineTop = y - Self.header
                }
                let (_, height) = size(of: node)
                boxes[id] = Box(x: x + 10, y: y, width: width - 20, height: height, column: index)
                y += height + Self.gap
            }
            bottom = max(bottom, y)
            if let first = ids.lazy.compactMap({ nodes[$0] }).first, first.kind != .step {
                let title = first.kind == .source ? "sources" : "zone \(first.zone ?? "")"
                let end = quarantineTop.map { $0 - Self.gap / 2 } ?? y
                if let index = bands.lastIndex(where: { $0.title == title }) {
                    // The next rank of the same zone: its band grows to cover it (and the steps between).
                    bands[index].width = x + width - bands[index].x
                    bands[index].height = max(bands[index].height, end - Self.margin)
                } else {
                    bands.append(
                        Band(
                            title: title, x: x, y: Self.margin, width: width, height: end - Self.margin,
                            quarantine: false))
                }
                if let top = quarantineTop {
                    bands.append(
                        Band(title: "quarantine", x: x, y: top, width: width, height: y - top, quarantine: true))
                }
            }
            x += width + Self.columnGap
        }
        width = x - Self.columnGap + Self.margin
        height = bottom + Self.margin
    }

    /// The points an edge's line passes, left to right: out of its source's right side, through each
    /// waypoint (in at its left, out at its right), into its target's left side.
    public func points(of edge: Int) -> [(Double, Double)] {
        let route = routes[edge]
        guard let first = route.first.flatMap({ boxes[$0] }), let last = route.last.flatMap({ boxes[$0] }) else {
            return []
        }
        var points = [first.right]
        for id in route.dropFirst().dropLast() {
            guard let box = boxes[id] else { continue }
            points += [box.left, box.right]
        }
        return points + [last.left]
    }

    /// How many pairs of edges cross, drawn as straight lines between their boxes' sides.
    public func crossings(_ model: DataFlowModel) -> Int {
        let segments = model.edges.indices.flatMap { index -> [((Double, Double), (Double, Double))] in
            let points = points(of: index)
            return Array(zip(points, points.dropFirst()))
        }
        var count = 0
        for i in segments.indices {
            for j in segments.indices where j > i && Self.cross(segments[i], segments[j]) { count += 1 }
        }
        return count
    }

    static func cross(_ a: ((Double, Double), (Double, Double)), _ b: ((Double, Double), (Double, Double))) -> Bool {
        func side(_ p: (Double, Double), _ q: (Double, Double), _ r: (Double, Double)) -> Double {
            (q.0 - p.0) * (r.1 - p.1) - (q.1 - p.1) * (r.0 - p.0)
        }
        let shared = [a.0, a.1].contains { p in [b.0, b.1].contains { $0 == p } }
        if shared { return false }
        let d1 = side(b.0, b.1, a.0)
        let d2 = side(b.0, b.1, a.1)
        let d3 = side(a.0, a.1, b.0)
        let d4 = side(a.0, a.1, b.1)
        return d1 * d2 < 0 && d3 * d4 < 0
    }
}
