import ArgumentParser
import Foundation
import Logging
import Metrics
import SluiceCore
import SluiceRunner
import SluiceServer
import SluiceStore

/// The runner's own overhead: 1,000 `true` command steps (one root, 998 in parallel, one sink) and a
/// chain of 200, against `make -j2` running the same graphs in the same run. Target: ≤ 1.5× make.
struct DAGBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dag", abstract: "Run wide and chained DAGs of `true` steps, and compare with make -j2.")

    @Option(help: "Runs per graph; the best counts.")
    var runs = 3

    @Option(help: "Scratch folder.")
    var scratch = "/tmp/sluice-bench-dag"

    @Flag(help: "Also time the runner with an executor that starts no process: its own overhead alone.")
    var overhead = false

    func run() async throws {
        let base = URL(fileURLWithPath: scratch)
        try? FileManager.default.removeItem(at: base)
        try FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: base) }
        let middle = (1...998).map { "m\($0)" }
        let chain = (1...200).map { "c\($0)" }
        var graphs: [(name: String, edges: [(String, [String])])] = []
        graphs.append(("wide", [("root", [])] + middle.map { ($0, ["root"]) } + [("sink", middle)]))
        graphs.append(("chain", chain.enumerated().map { index, name in (name, index == 0 ? [] : [chain[index - 1]]) }))
        print("dag benchmark: best of \(runs), --max-parallel 2 vs make -j2, 2 cores")
        var bareTimes: [(name: String, project: BenchProject, seconds: Double)] = []
        for graph in graphs {
            // A project per graph, as a team's project would hold just its own pipeline.
            let project = try Self.project(in: base.appendingPathComponent(graph.name), graphs: [graph])
            let makefile = base.appendingPathComponent("\(graph.name).mk")
            try Self.makefile(graph.edges).write(to: makefile, atomically: true, encoding: .utf8)
            let last = graph.edges.last!.0
            let make = try await Measure.best(runs: runs) {
                try Measure.shell("make -s -j2 -f '\(makefile.path)' \(last)")
            }
            // As root, steps run as the step user (credentials changed in the spawned child); as a normal user
            // they run as that user. Both, in one run.
            let asRoot = getuid() == 0
            let sluice = try await Self.timed(graph.name, project: project, scratch: base, runs: runs)
            Measure.report(
                "\(graph.name) (\(graph.edges.count) steps\(asRoot ? ", as root" : ""))", sluice: sluice, floor: make,
                floorName: "make -j2", target: 1.5)
            if asRoot {
                let user = try await Self.timed(
                    graph.name, project: project, scratch: base, runs: runs, executor: LocalStepExecutor(stepUser: nil))
                Measure.report(
                    "\(graph.name) (\(graph.edges.count) steps, as a user)", sluice: user, floor: make,
                    floorName: "make -j2", target: 1.5)
            }
            if overhead {
                let bare = try await Self.bare(graph.name, project: project, scratch: base, runs: runs)
                print("  without processes: \(Measure.format(bare)) s")
                bareTimes.append((graph.name, project, bare))
            }
        }
        guard overhead else { return }
        // The same runs again with the Prometheus backend `sluice serve` bootstraps: what metrics cost the runner.
        MetricsSystem.bootstrap(PrometheusMetrics())
        for (name, project, without) in bareTimes {
            let with = try await Self.bare(name, project: project, scratch: base, runs: runs)
            print(
                "  \(name) without processes, with Prometheus metrics: \(Measure.format(with)) s against "
                    + "\(Measure.format(without)) s without (\(String(format: "%.2f", with / without))×)")
        }
    }

    /// The best time of a run of `name`, logging as the command line does by default.
    static func timed(
        _ name: String, project: BenchProject, scratch: URL, runs: Int, executor: any StepExecutor = LocalStepExecutor()
    ) async throws -> Double {
        try await Measure.best(runs: runs) {
            var logger = Logger(label: "sluice")
            logger.logLevel = .warning
            let run = try await PipelineRunner(
                workspace: try project.workspace(), executor: executor, scratch: scratch, logger: logger
            ).run(name, options: RunOptions(environment: "dev", maxParallel: 2, useCache: false))
            guard run.status == .succeeded else { throw BenchError("the \(name) run failed") }
        }
    }

    /// The best time of the runner over `name` with an executor that starts no process.
    static func bare(_ name: String, project: BenchProject, scratch: URL, runs: Int) async throws -> Double {
        try await timed(name, project: project, scratch: scratch, runs: runs, executor: NoProcess())
    }

    static func project(in folder: URL, graphs: [(name: String, edges: [(String, [String])])]) throws -> BenchProject {
        var pipelines = "pipelines:\n"
        for graph in graphs {
            pipelines += "  \(graph.name):\n    steps:\n"
            for (step, after) in graph.edges {
                pipelines += "      \(step): { command: [\"true\"]"
                if !after.isEmpty { pipelines += ", after: [\(after.joined(separator: ", "))]" }
                pipelines += " }\n"
            }
        }
        let project = try BenchProject.create(in: folder, sourcePath: "landing/*.csv", extra: pipelines)
        return project
    }

    /// Phony targets running `true`, with the same edges.
    static func makefile(_ edges: [(String, [String])]) -> String {
        var text = ".PHONY: \(edges.map(\.0).joined(separator: " "))\n"
        for (step, after) in edges { text += "\(step): \(after.joined(separator: " "))\n\ttrue\n" }
        return text
    }
}

/// Succeeds at once: what the runner costs around the processes.
struct NoProcess: StepExecutor {
    func execute(_ job: StepJob) async throws -> StepExecution { StepExecution(exitCode: 0, failure: nil) }
}
