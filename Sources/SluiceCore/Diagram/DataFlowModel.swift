import Foundation

/// The data flow of a project as a graph to draw: sources, datasets by zone, the steps between them and the
/// quarantine beside the first zone, each dataset with what governs it (classification, PII, lifecycle, the roles
/// that may read and write it in one environment) and each step with whom it runs as there; plus the policy
/// findings. Built from the project's files alone, so the picture never goes stale.
public struct DataFlowModel: Sendable {
    public enum NodeKind: String, Sendable, Codable {
        case source, dataset, step, quarantine
    }

    public struct Node: Sendable, Hashable, Codable {
        /// Unique and stable: `source:NAME`, `dataset:ZONE.NAME`, `step:PIPELINE.STEP`, `quarantine:ZONE.NAME`.
        public var id: String
        public var kind: NodeKind
        public var label: String
        /// The zone band the node is drawn in (datasets, quarantine; steps: the zone they write).
        public var zone: String?
        /// Lines under the label (classification, lifecycle, access).
        public var details: [String]
        /// Whether a policy finding names it (drawn in red).
        public var flagged = false
    }

    public struct Edge: Sendable, Hashable, Codable {
        public enum Kind: String, Sendable, Codable {
            case ingest, read, write, quarantine
        }

        public var from: String
        public var to: String
        public var kind: Kind
        public var flagged = false
    }

    public var project: String
    public var environment: String
    /// Zone names in flow order.
    public var zones: [String]
    public var nodes: [Node]
    public var edges: [Edge]
    public var findings: [PolicyFinding]

    public func node(_ id: String) -> Node? { nodes.first { $0.id == id } }

    /// The model with the quarantine of each zone as one node and no quarantine edges: for large projects,
    /// where an edge from every source to its quarantine would hide the flow.
    public func mergingQuarantine() -> DataFlowModel {
        var merged = self
        let quarantined = nodes.filter { $0.kind == .quarantine }
        merged.nodes = nodes.filter { $0.kind != .quarantine }
        for zone in zones {
            let held = quarantined.filter { $0.zone == zone }
            guard !held.isEmpty else { continue }
            merged.nodes.append(
                Node(
                    id: "quarantine:\(zone)", kind: .quarantine, label: "quarantine: \(held.count) datasets",
                    zone: zone,
                    details: held.map(\.label), flagged: held.contains(where: \.flagged)))
        }
        merged.edges = edges.filter { $0.kind != .quarantine }
        return merged
    }
}

extension DataFlowModel {
    /// The model of `project` as seen in `environment`.
    public init(project: Project, environment: String) {
        self.project = project.name
        self.environment = environment
        zones = project.zones.sorted { $0.order < $1.order }.map(\.name)
        let access = DataFlowAccess(project: project)
        var nodes: [Node] = []
        var edges: [Edge] = []
        for source in project.sources.values.sorted(by: { $0.name < $1.name }) {
            nodes.append(
                Node(
                    id: "source:\(source.name)", kind: .source, label: source.name, zone: nil,
                    details: ["\(source.format.rawValue): \(source.path)"]))
            edges.append(Edge(from: "source:\(source.name)", to: "dataset:\(source.into)", kind: .ingest))
            if project.datasets[source.into] != nil {
                let quarantine = "quarantine:\(source.into)"
                if !nodes.contains(where: { $0.id == quarantine }) {
                    let policy =
                        project.datasets[source.into]?.onInvalid == .quarantineRows ? "invalid rows" : "refused batches"
                    nodes.append(
                        Node(
                            id: quarantine, kind: .quarantine, label: "quarantine \(source.into.name)",
                            zone: source.into.zone,
                            details: [policy, project.quarantineLifecycle?.summary ?? "no lifecycle"]))
                }
                edges.append(Edge(from: "source:\(source.name)", to: quarantine, kind: .quarantine))
            }
        }
        for dataset in project.datasets.values.sorted(by: { $0.name < $1.name }) {
            nodes.append(
                Node(
                    id: "dataset:\(dataset.name)", kind: .dataset, label: dataset.name.description,
                    zone: dataset.name.zone, details: access.details(of: dataset, in: environment)))
        }
        for pipeline in project.pipelines.values.sorted(by: { $0.name < $1.name }) {
            for step in pipeline.steps {
                let id = "step:\(pipeline.name).\(step.name)"
                let zone = step.outputs.compactMap { project.zone(named: $0.zone) }.max { $0.order < $1.order }?.name
                nodes.append(
                    Node(
                        id: id, kind: .step, label: "\(pipeline.name).\(step.name)", zone: zone,
                        details: [access.runsAs(pipeline, step, in: environment)]))
                edges += step.inputs.sorted().map { Edge(from: "dataset:\($0)", to: id, kind: .read) }
                edges += step.outputs.sorted().map { Edge(from: id, to: "dataset:\($0)", kind: .write) }
            }
        }
        // Edges to what the project does not declare are left out (validate reports them).
        let ids = Set(nodes.map(\.id))
        self.nodes = nodes
        self.edges = edges.filter { ids.contains($0.from) && ids.contains($0.to) }
        findings = []
        findings = PolicyFindings(project: project, access: access).all(model: self)
        for finding in findings {
            for index in self.nodes.indices where finding.nodes.contains(self.nodes[index].id) {
                self.nodes[index].flagged = true
            }
            for index in self.edges.indices
            where finding.edges.contains(where: { $0.from == self.edges[index].from && $0.to == self.edges[index].to })
            {
                self.edges[index].flagged = true
            }
        }
    }
}

/// Who may do what to a dataset, by the project's declared roles and grants.
struct DataFlowAccess {
    let project: Project

    func roles(_ action: Action, _ environment: String, zone: String) -> [String] {
        project.roles.values.filter { role in
            role.grants.contains { $0.covers(action: action, environment: environment, zone: zone) }
        }.map(\.name).sorted()
    }

    /// Roles that may read `dataset` in `environment`: a read grant on its zone and a ceiling reaching it.
    func readers(_ dataset: DatasetName, in environment: String) -> [String] {
        let level = project.datasets[dataset]?.classification ?? .restricted
        return roles(.read, environment, zone: dataset.zone).filter {
            (project.roles[$0]?.classification ?? .public) >= level
        }
    }

    /// Roles that may change `dataset` in `environment`: `write` there, or `promote` into a protected one.
    func writers(_ dataset: DatasetName, in environment: String) -> [String] {
        var actions: [Action] = [.write]
        if project.isProtected(environment) { actions.append(.promote) }
        return Set(actions.flatMap { roles($0, environment, zone: dataset.zone) }).sorted()
    }

    /// Roles that change data (write, promote, delete) or administer: not mere readers.
    func isReaderOnly(_ role: Role) -> Bool {
        !role.grants.contains { [.write, .promote, .delete, .admin].contains($0.action) }
    }

    func details(of dataset: Dataset, in environment: String) -> [String] {
        var first = dataset.classification?.rawValue ?? "unclassified"
        if !dataset.pii.isEmpty { first += " · PII: \(dataset.pii.joined(separator: ", "))" }
        let lifecycle = project.lifecycle(of: dataset.name)?.summary ?? "no lifecycle"
        let readers = readers(dataset.name, in: environment)
        let writers = writers(dataset.name, in: environment)
        return [
            first, lifecycle, "read: \(readers.isEmpty ? "nobody" : readers.joined(separator: ", "))",
            "write: \(writers.isEmpty ? "nobody" : writers.joined(separator: ", "))",
        ]
    }

    /// Whom a step runs as in `environment`: the service's principal for scheduled or triggered pipelines,
    /// else whoever may write its outputs there.
    func runsAs(_ pipeline: Pipeline, _ step: Step, in environment: String) -> String {
        if pipeline.cron != nil || !pipeline.triggers.isEmpty, let principal = project.serviceRunAs {
            return "runs as \(principal) (scheduled)"
        }
        let roles = Set(step.outputs.flatMap { writers($0, in: environment) })
        let principals = project.principals.values.filter { roles.contains($0.role) }.map(\.name).sorted()
        return "run by \(principals.isEmpty ? "nobody here" : principals.joined(separator: ", "))"
    }
}
