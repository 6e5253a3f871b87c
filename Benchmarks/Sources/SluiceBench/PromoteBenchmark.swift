import ArgumentParser
import Foundation
import SluiceCore

/// Promotion moves a ref, so its time must not depend on the data's size: promote dev → prod holding
/// 1 KB, then holding a large file, and print the ratio (the target is 1× within noise).
struct PromoteBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "promote", abstract: "Promote 1 KB and a large file, and compare.")

    @Option(help: "Size of the large dataset in MiB.")
    var sizeMib = 1024

    @Option(help: "Promotions timed per size; the median counts.")
    var runs = 15

    @Option(help: "Scratch folder.")
    var scratch = "/tmp/sluice-bench-promote"

    func run() async throws {
        let base = URL(fileURLWithPath: scratch)
        try? FileManager.default.removeItem(at: base)
        defer { try? FileManager.default.removeItem(at: base) }
        var medians: [Double] = []
        for (name, bytes) in [("1 KB", 1024), ("\(sizeMib) MiB", sizeMib << 20)] {
            let project = try BenchProject.create(
                in: base.appendingPathComponent("p\(bytes)"), sourcePath: "landing/*.csv")
            try Generator.csvFile(at: project.root.appendingPathComponent("landing/data.csv"), bytes: bytes)
            var times: [Double] = []
            for _ in 0..<runs {
                let workspace = try project.workspace()
                _ = try await workspace.ingest(source: "drop", environment: "dev")
                times.append(try await Measure.seconds { _ = try await workspace.promote(from: "dev", to: "prod") })
            }
            let median = times.sorted()[times.count / 2]
            medians.append(median)
            print(
                "promote dev → prod with \(name): median \(String(format: "%.1f", median * 1000)) ms over \(runs) runs")
        }
        Measure.report(
            "promotion, large vs 1 KB", sluice: medians[1], floor: medians[0], floorName: "1 KB", target: 1.5)
    }
}
