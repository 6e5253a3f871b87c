/// A pipeline's steps as a DAG: a step depends on the steps that write its inputs. Inputs no step of the
/// pipeline writes are read from the environment.
public struct StepGraph: Sendable {
    public let steps: [Step]
    /// For each step (by index), the steps it waits for.
    public let upstream: [Set<Int>]
    /// For each step, the steps that wait for it.
    public let downstream: [Set<Int>]

    public init(_ pipeline: Pipeline) throws {
        steps = pipeline.steps
        var producer: [DatasetName: Int] = [:]
        for (index, step) in steps.enumerated() {
            for output in step.outputs { producer[output] = index }
        }
        var upstream = Array(repeating: Set<Int>(), count: steps.count)
        var downstream = Array(repeating: Set<Int>(), count: steps.count)
        let indexByName = Dictionary(steps.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { first, _ in first })
        for (index, step) in steps.enumerated() {
            var sources = step.inputs.compactMap { producer[$0] }
            for name in step.after {
                guard let source = indexByName[name] else {
                    throw UsageError(
                        "step \(pipeline.name).\(step.name) runs after \(NameRules.quoted(name)), which is not a step of \(pipeline.name)"
                    )
                }
                sources.append(source)
            }
            for source in sources where source != index {
                upstream[index].insert(source)
                downstream[source].insert(index)
            }
        }
        self.upstream = upstream
        self.downstream = downstream
        if let cycle = Self.cycle(upstream: upstream) {
            throw UsageError(
                "pipeline \(pipeline.name) has a cycle: \(cycle.map { steps[$0].name }.joined(separator: " → "))",
                hint: "a step may not read, directly or through other steps, what it writes")
        }
    }

    public func index(of name: String) -> Int? { steps.firstIndex { $0.name == name } }

    /// Every step after `index`, directly or through others.
    public func descendants(of index: Int) -> Set<Int> {
        var seen = Set<Int>()
        var stack = Array(downstream[index])
        while let next = stack.popLast() {
            if seen.insert(next).inserted { stack.append(contentsOf: downstream[next]) }
        }
        return seen
    }

    /// Steps in an order where each comes after those it waits for; ties keep declaration order.
    public var order: [Int] {
        var remaining = upstream.map(\.count)
        var ready = remaining.indices.filter { remaining[$0] == 0 }
        var result: [Int] = []
        while !ready.isEmpty {
            let next = ready.removeFirst()
            result.append(next)
            for child in downstream[next].sorted() {
                remaining[child] -= 1
                if remaining[child] == 0 { ready.append(child) }
            }
        }
        return result
    }

    private static func cycle(upstream: [Set<Int>]) -> [Int]? {
        var state = Array(repeating: 0, count: upstream.count)  // 0 new, 1 on the path, 2 done
        var path: [Int] = []
        func visit(_ node: Int) -> [Int]? {
            state[node] = 1
            path.append(node)
            for parent in upstream[node].sorted() {
                if state[parent] == 1 { return Array(path[path.lastIndex(of: parent)!...]) + [parent] }
                if state[parent] == 0, let found = visit(parent) { return found }
            }
            path.removeLast()
            state[node] = 2
            return nil
        }
        for node in upstream.indices where state[node] == 0 {
            if let found = visit(node) { return found.reversed() }
        }
        return nil
    }
}
