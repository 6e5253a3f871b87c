import Foundation

/// A risk in a project's policy or flow, found from its files: drawn in red on the data flow diagram and
/// listed under it.
public struct PolicyFinding: Sendable, Hashable, Codable, CustomStringConvertible {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// Someone other than the pipeline may change a protected environment.
        case protectedWriter = "protected-writer"
        /// A role that only reads may see restricted data, or PII unmasked.
        case sensitiveReadable = "sensitive-readable"
        /// Data reaches a protected environment through a dataset no gate checks.
        case ungatedPath = "ungated-path"
        /// A step writes a dataset that has no contract (no columns, no checks).
        case outputWithoutContract = "output-without-contract"
        /// No step, check or reading role uses a dataset.
        case unreadDataset = "unread-dataset"
        /// A step writes to an earlier zone than it reads from, or into the first zone.
        case backwardFlow = "backward-flow"
    }

    public var kind: Kind
    public var message: String
    /// The nodes and edges to draw in red.
    public var nodes: [String]
    public var edges: [DataFlowModel.Edge]

    public var description: String { "\(kind.rawValue): \(message)" }
}

/// Computes the findings of a project from its declarations.
struct PolicyFindings {
    let project: Project
    let access: DataFlowAccess

    func all(model: DataFlowModel) -> [PolicyFinding] {
        protectedWriters() + sensitiveReaders() + ungatedPaths(model) + outputsWithoutContract() + unread(model)
            + backwardFlows()
    }

    /// Concrete environments, and each pattern as itself (a glob matches its own text).
    var environments: [String] { project.environments.map(\.pattern.text).sorted() }

    private func protectedWriters() -> [PolicyFinding] {
        var findings: [PolicyFinding] = []
        for environment in environments where project.isProtected(environment) {
            for principal in project.principals.values.sorted(by: { $0.name < $1.name })
            where principal.name != project.serviceRunAs {
                guard let role = project.roles[principal.role] else { continue }
                let actions = [Action.write, .promote, .delete].filter { action in
                    role.grants.contains { $0.action == action && $0.environment.matches(environment) }
                }
                guard !actions.isEmpty else { continue }
                let pipeline =
                    project.serviceRunAs.map { "only \($0), the pipeline, should" }
                    ?? "declare service: { run_as: } for the pipeline"
                let flagged = project.datasets.keys.filter {
                    access.writers($0, in: environment).contains(role.name)
                }.map { "dataset:\($0)" }.sorted()
                findings.append(
                    PolicyFinding(
                        kind: .protectedWriter,
                        message:
                            "\(principal.name) (role \(role.name)) may \(actions.map(\.rawValue).joined(separator: ", ")) protected \(environment); \(pipeline)",
                        nodes: flagged, edges: []))
            }
        }
        return findings
    }

    private func sensitiveReaders() -> [PolicyFinding] {
        var findings: [PolicyFinding] = []
        for role in project.roles.values.sorted(by: { $0.name < $1.name }) where access.isReaderOnly(role) {
            for dataset in project.datasets.values.sorted(by: { $0.name < $1.name }) {
                let level = dataset.classification ?? .restricted
                guard role.classification >= level else { continue }
                let zone = dataset.name.zone
                let reads = environments.filter { environment in
                    role.grants.contains { $0.covers(action: .read, environment: environment, zone: zone) }
                }
                let unmasked = reads.filter { environment in
                    role.grants.contains { $0.covers(action: .unmask, environment: environment, zone: zone) }
                }
                var what: String?
                if level == .restricted, let environment = reads.first {
                    what = "may read restricted \(dataset.name) in \(environment)"
                } else if !dataset.pii.isEmpty, let environment = unmasked.first {
                    what =
                        "sees the PII of \(dataset.name) (\(dataset.pii.joined(separator: ", "))) unmasked in \(environment)"
                }
                guard let what else { continue }
                findings.append(
                    PolicyFinding(
                        kind: .sensitiveReadable, message: "role \(role.name), which only reads, \(what)",
                        nodes: ["dataset:\(dataset.name)"], edges: []))
            }
        }
        return findings
    }

    /// Whether a gate checks what lands in a dataset: it declares columns or table checks.
    func hasContract(_ name: DatasetName) -> Bool {
        guard let dataset = project.datasets[name] else { return false }
        return !dataset.columns.isEmpty || !dataset.checks.isEmpty
    }

    /// For each last dataset of the flow (made by a step, read by none), the datasets upstream of it (itself
    /// included) that no gate checks, when a protected environment exists for it to reach; the edges from them
    /// down to it are drawn in red.
    private func ungatedPaths(_ model: DataFlowModel) -> [PolicyFinding] {
        guard let protected = environments.first(where: { project.isProtected($0) }) else { return [] }
        let flow = model.edges.filter { $0.kind != .quarantine }
        let made = Set(flow.filter { $0.kind == .write }.map(\.to))
        let read = Set(flow.filter { $0.kind == .read }.map(\.from))
        var findings: [PolicyFinding] = []
        for end in made.subtracting(read).sorted() {
            let upstream = Self.reach(from: [end], flow, forward: false)
            let unchecked = upstream.filter { id in
                id.hasPrefix("dataset:") && DatasetName(String(id.dropFirst(8))).map { !hasContract($0) } ?? false
            }.sorted()
            guard !unchecked.isEmpty else { continue }
            let between = upstream.intersection(Self.reach(from: Set(unchecked), flow, forward: true))
            let names = unchecked.map { String($0.dropFirst(8)) }
            findings.append(
                PolicyFinding(
                    kind: .ungatedPath,
                    message:
                        "\(end.dropFirst(8)) reaches \(protected) through data no gate checks: \(names.joined(separator: ", ")) \(names.count == 1 ? "has" : "have") no contract",
                    nodes: unchecked, edges: flow.filter { between.contains($0.from) && between.contains($0.to) }))
        }
        return findings
    }

    /// The nodes reachable from `start` (included) along `edges`, downstream or upstream.
    static func reach(from start: Set<String>, _ edges: [DataFlowModel.Edge], forward: Bool) -> Set<String> {
        var seen = start
        var queue = Array(start)
        while let id = queue.popLast() {
            for edge in edges {
                let (here, next) = forward ? (edge.from, edge.to) : (edge.to, edge.from)
                if here == id && seen.insert(next).inserted { queue.append(next) }
            }
        }
        return seen
    }

    private func outputsWithoutContract() -> [PolicyFinding] {
        var writers: [DatasetName: String] = [:]
        for pipeline in project.pipelines.values {
            for step in pipeline.steps {
                for output in step.outputs { writers[output] = "\(pipeline.name).\(step.name)" }
            }
        }
        return writers.keys.sorted().filter { project.datasets[$0] != nil && !hasContract($0) }.map { name in
            PolicyFinding(
                kind: .outputWithoutContract,
                message: "\(name), written by \(writers[name]!), has no contract: declare its columns or checks",
                nodes: ["dataset:\(name)"], edges: [])
        }
    }

    private func unread(_ model: DataFlowModel) -> [PolicyFinding] {
        var used = Set(model.edges.filter { $0.kind == .read }.map(\.from))
        for dataset in project.datasets.values {
            for check in dataset.checks {
                if case .references(_, let other, _) = check.kind { used.insert("dataset:\(other)") }
            }
        }
        let readerRoles = project.roles.values.filter(access.isReaderOnly)
        return project.datasets.keys.sorted().filter { name in
            guard !used.contains("dataset:\(name)") else { return false }
            let level = project.datasets[name]?.classification ?? .restricted
            return !readerRoles.contains { role in
                role.classification >= level
                    && role.grants.contains { $0.action == .read && ($0.zone == nil || $0.zone == name.zone) }
            }
        }.map { name in
            PolicyFinding(
                kind: .unreadDataset,
                message: "nothing reads \(name): no step, no check and no reading role; drop it or grant a reader",
                nodes: ["dataset:\(name)"], edges: [])
        }
    }

    private func backwardFlows() -> [PolicyFinding] {
        var findings: [PolicyFinding] = []
        let first = project.firstZone
        for pipeline in project.pipelines.values.sorted(by: { $0.name < $1.name }) {
            for step in pipeline.steps {
                let id = "step:\(pipeline.name).\(step.name)"
                for output in step.outputs {
                    guard let zone = project.zone(named: output.zone) else { continue }
                    let later = step.inputs.filter { (project.zone(named: $0.zone)?.order ?? 0) > zone.order }
                    let edges =
                        later.map { DataFlowModel.Edge(from: "dataset:\($0)", to: id, kind: .read) }
                        + [DataFlowModel.Edge(from: id, to: "dataset:\(output)", kind: .write)]
                    if let input = later.first {
                        findings.append(
                            PolicyFinding(
                                kind: .backwardFlow,
                                message:
                                    "\(pipeline.name).\(step.name) writes \(output) (zone \(zone.name)) from \(input) (zone \(input.zone)): data flows only forward",
                                nodes: [id], edges: edges))
                    } else if zone.name == first?.name {
                        findings.append(
                            PolicyFinding(
                                kind: .backwardFlow,
                                message:
                                    "\(pipeline.name).\(step.name) writes \(output) into the first zone \(zone.name), which only ingestion writes",
                                nodes: [id], edges: Array(edges.suffix(1))))
                    }
                }
            }
        }
        return findings
    }
}
