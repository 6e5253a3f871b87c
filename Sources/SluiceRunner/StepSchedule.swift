import SluiceCore

/// The DAG's bookkeeping during one run: which selected steps still wait for upstream steps, which are ready,
/// which are blocked by a failure, and the outputs made so far. Steps not selected are not waited for: their
/// outputs come from the environment.
struct StepSchedule {
    let graph: StepGraph
    let selected: Set<Int>
    private var waiting: [Int]
    private var ready: [Int]
    private var blocked = Set<Int>()
    private(set) var produced: [DatasetName: ObjectID] = [:]

    init(graph: StepGraph, selected: Set<Int>) {
        self.graph = graph
        self.selected = selected
        let waiting = graph.upstream.map { $0.filter { selected.contains($0) }.count }
        self.waiting = waiting
        ready = graph.order.filter { selected.contains($0) && waiting[$0] == 0 }
    }

    /// What the run's steps write (their `references` are judged when the run lands).
    var written: Set<DatasetName> { Set(selected.flatMap { graph.steps[$0].outputs }) }

    /// The next step ready to start, if any.
    mutating func next() -> Step? {
        ready.isEmpty ? nil : graph.steps[ready.removeFirst()]
    }

    /// Records how a step ended; returns the names of the steps that will not run because it failed.
    mutating func finished(_ result: StepRun) -> [String] {
        guard let index = graph.index(of: result.step) else { return [] }
        if result.status == .failed {
            let skipped = graph.descendants(of: index).filter { selected.contains($0) }
            blocked.formUnion(skipped)
            ready.removeAll { blocked.contains($0) }
            return skipped.sorted().map { graph.steps[$0].name }
        }
        for (dataset, version) in result.outputs {
            if let name = DatasetName(dataset) { produced[name] = version }
        }
        for child in graph.downstream[index].sorted() where selected.contains(child) {
            waiting[child] -= 1
            if waiting[child] == 0 && !blocked.contains(child) { ready.append(child) }
        }
        return []
    }
}
