import ArgumentParser
import Foundation
import SluiceCore
import SluiceQuality

/// DESIGN.md's snapshot workload: a 1 GiB file, and a folder of 10,000 × 10 KiB files, ingested into the
/// store (hashed, flushed to disk, committed), each against `cp` / `cp -r` of the same data in the same run.
struct SnapshotBenchmark: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "snapshot", abstract: "Ingest a large file and many small files, against cp.")

    @Option(help: "Size of the large file in MiB.")
    var sizeMib = 1024

    @Option(help: "Number of small files (10 KiB each).")
    var files = 10_000

    @Option(help: "Runs of each measurement; the fastest counts.")
    var runs = 3

    @Option(help: "Scratch folder (on the disk to measure).")
    var scratch = "/tmp/sluice-bench-snapshot"

    func run() async throws {
        let base = URL(fileURLWithPath: scratch)
        try? FileManager.default.removeItem(at: base)
        defer { try? FileManager.default.removeItem(at: base) }
        let big = try BenchProject.create(in: base.appendingPathComponent("big"), sourcePath: "landing/*.csv")
        let many = try BenchProject.create(in: base.appendingPathComponent("many"), sourcePath: "landing/*.csv")
        try Generator.csvFile(at: big.root.appendingPathComponent("landing/big.csv"), bytes: sizeMib << 20)
        try Generator.smallFiles(in: many.root.appendingPathComponent("landing"), count: files, bytes: 10 << 10)
        print("snapshot benchmark: \(sizeMib) MiB file, \(files) × 10 KiB files, best of \(runs) runs, warm page cache")

        // Every run writes into a new folder and nothing is deleted until the end: deleting thousands of
        // files just before a run makes the file system's inode allocation slow for whoever runs next.
        for (name, project, single) in [("large file", big, true), ("small files", many, false)] {
            var run = 0
            let cp = try await Measure.best(runs: runs, prepare: { run += 1 }) {
                let target = "copy-\(run)"
                try Measure.shell(
                    "cd '\(project.root.path)' && \(single ? "cp landing/big.csv \(target).csv" : "cp -r landing \(target)")"
                )
            }
            let cpSync = try await Measure.best(runs: runs, prepare: { run += 1 }) {
                let target = "copy-\(run)"
                try Measure.shell(
                    "cd '\(project.root.path)' && \(single ? "cp landing/big.csv \(target).csv" : "cp -r landing \(target)") && sync"
                )
            }
            var workspace: Workspace?
            let sluice = try await Measure.best(
                runs: runs,
                prepare: {
                    run += 1; workspace = try project.workspace(store: "store-\(run)")
                }
            ) {
                _ = try await workspace!.ingest(source: "drop", environment: "dev")
            }
            Measure.report("\(name) vs cp", sluice: sluice, floor: cp, floorName: "cp", target: 1.5)
            Measure.report("\(name) vs cp+sync (both durable)", sluice: sluice, floor: cpSync, floorName: "cp+sync")
        }
        try await quarantine(base)
    }

    /// Issue 11 item 14: the same large file with a contract, every row valid, and with one row in 20,000
    /// invalid under `quarantine_rows`: landing the valid rows must cost about a copy of the bytes.
    func quarantine(_ base: URL) async throws {
        let contract = """
            raw.data:
                owner: bench
                classification: internal
                on_invalid: quarantine_rows
                max_invalid_ratio: 0.01
                columns:
                  order_id: { type: int, required: true, unique: true }
                  customer_id: { type: int, required: true }
                  amount: { type: decimal, min: 0 }
                  status: { type: string, in: [new, paid, shipped, cancelled] }
                  email: { type: string, pattern: '^[^@]+@[^@]+$' }
            """
        var cp = Double.infinity
        var results: [(String, Double, Int64)] = []
        for (name, invalidEvery) in [("every row valid", nil), ("one row in 20,000 invalid", 20_000)]
            as [(String, Int?)]
        {
            let project = try BenchProject.create(
                in: base.appendingPathComponent("gate-\(results.count)"), sourcePath: "landing/*.csv", dataset: contract
            )
            try Generator.csvFile(
                at: project.root.appendingPathComponent("landing/big.csv"), bytes: sizeMib << 20,
                invalidEvery: invalidEvery)
            var run = 0
            cp = min(
                cp,
                try await Measure.best(runs: runs, prepare: { run += 1 }) {
                    try Measure.shell("cd '\(project.root.path)' && cp landing/big.csv copy-\(run).csv")
                })
            var workspace: Workspace?
            var quarantined: Int64 = 0
            let time = try await Measure.best(
                runs: runs,
                prepare: {
                    run += 1; workspace = try project.workspace(store: "store-\(run)", gate: ContractGate())
                }
            ) {
                quarantined = try await workspace!.ingest(source: "drop", environment: "dev").report.invalidRows
            }
            results.append((name, time, quarantined))
        }
        for (name, time, quarantined) in results {
            Measure.report(
                "large file with a contract, \(name) (\(quarantined) quarantined) vs cp", sluice: time, floor: cp,
                floorName: "cp")
        }
        Measure.report(
            "quarantine path vs all valid", sluice: results[1].1, floor: results[0].1, floorName: "all valid",
            target: 1.25)
    }
}

enum Generator {
    /// A CSV file of about `bytes` bytes, written in 8 MiB blocks of deterministic rows.
    static func csvFile(at url: URL, bytes: Int, invalidEvery: Int? = nil) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: url.path, contents: nil)
        let handle = try FileHandle(forWritingTo: url)
        defer { try? handle.close() }
        try handle.write(contentsOf: Data("order_id,customer_id,amount,status,email\n".utf8))
        var written = 0
        var row = 0
        let statuses = ["new", "paid", "shipped", "cancelled"]
        while written < bytes {
            var block = ""
            block.reserveCapacity(8 << 20)
            while block.utf8.count < (8 << 20) {
                let amount = invalidEvery.map { row % $0 == $0 - 1 } == true ? "-1" : "\(row % 10000).\(row % 100)"
                block += "\(row),\(row % 9973),\(amount),\(statuses[row % 4]),user\(row % 50000)@example.com\n"
                row += 1
            }
            let data = Data(block.utf8)
            try handle.write(contentsOf: data)
            written += data.count
        }
    }

    static func smallFiles(in folder: URL, count: Int, bytes: Int) throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for index in 0..<count {
            var content = "id,value\n"
            var row = 0
            while content.utf8.count < bytes - 32 {
                content += "\(index * 1000 + row),v\(row)-\(index)\n"
                row += 1
            }
            try Data(content.utf8).write(to: folder.appendingPathComponent(String(format: "f%05d.csv", index)))
        }
    }
}
