import Foundation
import SluiceCore
import SluiceRunner
import Testing

/// Issue 22 item 7: deliveries accumulate. An `append` source's files each land once, whoever ingests them
/// (by hand or by the landing trigger, before and after a restart): every valid row once, nothing lost, bad
/// rows quarantined once; a delivery that repeats a key already landed is refused.
@Suite struct DeliveryTests {
    static func files() -> [String: String] {
        var files = SchedulerTests.files()
        files["sluice.yaml"] = files["sluice.yaml"]!
            .replacingOccurrences(
                of: "orders: { path: landing/orders.csv, format: csv, into: raw.orders, mode: snapshot }",
                with: "orders: { path: landing/orders/*.csv, format: csv, into: raw.orders }"
            )
            .replacingOccurrences(
                of: "  prod: { protected: true }\n",
                with: "  prod: { protected: true }\n  \"sandbox/*\": { lifecycle: { expire_after_idle: 7d } }\n"
            )
            .replacingOccurrences(
                of: "      amount: { type: decimal }\n",
                with:
                    "      amount: { type: decimal, min: 0 }\n    on_invalid: quarantine_rows\n    max_invalid_ratio: 0.5\n"
            )
        return files
    }

    /// Day `day`'s delivery: three orders, the columns reordered on even days, a negative amount on day 2 and 5.
    static func delivery(_ day: Int) -> (text: String, valid: [String]) {
        let ids = (1...3).map { day * 10 + $0 }
        var lines: [String] = []
        var valid: [String] = []
        for id in ids {
            let amount = (day == 2 || day == 5) && id % 10 == 2 ? "-1" : "\(id).5"
            lines.append(day % 2 == 0 ? "\(amount),\(id)" : "\(id),\(amount)")
            if !amount.hasPrefix("-") { valid.append("\(id),\(amount)") }
        }
        return ((day % 2 == 0 ? "amount,id\n" : "id,amount\n") + lines.joined(separator: "\n") + "\n", valid)
    }

    static func later(_ seconds: Int64) -> Timestamp {
        Timestamp(milliseconds: Timestamp.now().milliseconds + seconds * 1000)
    }

    @Test func threeByHandThreeByTheTriggerAndARestartLandEveryRowOnce() async throws {
        let harness = try RunnerHarness(files: Self.files())
        var expected: [String] = []
        for day in 1...3 {
            let (text, valid) = Self.delivery(day)
            try harness.write("landing/orders/day\(day).csv", text)
            expected += valid
            let result = try await harness.workspace().ingest(source: "orders", environment: "dev")
            #expect(result.files == 1 && result.datasetRows == Int64(expected.count), "day \(day): \(result)")
        }
        let watcher = LandingWatcher(scheduler: try SchedulerTests().scheduler(harness))
        for day in 4...6 {
            let (text, valid) = Self.delivery(day)
            try harness.write("landing/orders/day\(day).csv", text)
            expected += valid
            _ = try await watcher.scan(now: Self.later(Int64(day) * 10))
        }
        // By hand again, and a restarted service (another claimant): nothing new lands.
        let again = try await harness.workspace().ingest(source: "orders", environment: "dev")
        #expect(again.unchanged && again.files == 0)
        let restarted = LandingWatcher(scheduler: try SchedulerTests().scheduler(harness, claimant: "restarted:2"))
        _ = try await restarted.scan(now: Self.later(100))
        let rows = try await harness.read("raw.orders").split(separator: "\n").dropFirst().map(String.init)
        #expect(rows.sorted() == expected.sorted(), "every valid row once")
        let batches = try await harness.workspace().quarantineBatches()
        #expect(batches.filter { $0.kind == .rows }.map(\.rows) == [1, 1], "each bad row quarantined once")
        // A delivery that repeats an order already landed is refused whole; what landed stays.
        try harness.write("landing/orders/day7.csv", "id,amount\n71,1\n11,2\n")
        await #expect(throws: GateFailed.self) {
            _ = try await harness.workspace().ingest(source: "orders", environment: "dev")
        }
        #expect(try await harness.read("raw.orders").split(separator: "\n").count == expected.count + 1)
    }

    /// A file the gate refused in dev is not tried again in an environment made from dev, where it would take
    /// the good delivery beside it down with it.
    @Test func aFileRefusedInDevIsNotRetriedInAnEnvironmentMadeFromIt() async throws {
        let harness = try RunnerHarness(files: Self.files())
        try harness.write("landing/orders/day1.csv", Self.delivery(1).text)
        _ = try await harness.workspace().ingest(source: "orders", environment: "dev")
        try harness.write("landing/orders/day2.csv", "id,amount\n21,-1\n22,-2\n")
        await #expect(throws: GateFailed.self) {
            _ = try await harness.workspace().ingest(source: "orders", environment: "dev")
        }
        _ = try await harness.workspace().createEnvironment("sandbox/a", from: "dev", ttl: nil)
        let (text, valid) = Self.delivery(3)
        try harness.write("landing/orders/day3.csv", text)
        let landed = try await harness.workspace().ingest(source: "orders", environment: "sandbox/a")
        #expect(landed.files == 1 && landed.datasetRows == Int64(Self.delivery(1).valid.count + valid.count))
    }
}
