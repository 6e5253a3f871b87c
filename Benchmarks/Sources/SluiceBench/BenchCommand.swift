import ArgumentParser
import Foundation

@main
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sluice-bench",
        abstract: "Sluice's benchmarks: each prints its time as a ratio against a floor measured in the same run.",
        subcommands: [
            SnapshotBenchmark.self, PromoteBenchmark.self, ValidateBenchmark.self, DAGBenchmark.self, GCBenchmark.self,
            UIBenchmark.self, SQLBenchmark.self,
        ])
}
