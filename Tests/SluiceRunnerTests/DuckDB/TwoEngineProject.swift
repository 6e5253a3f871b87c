import Foundation
import SluiceCore

/// A project whose `sql` steps read two generated datasets of every column type, run on one engine.
enum TwoEngineProject {
    /// `raw.items` (every type, NULLs, unicode, quoted commas, quotes and line breaks) and `raw.customers`.
    static func files(
        engine: SQLEngine, seed: UInt64, rows: Int, steps: [String: (sql: String, output: String)]
    )
        -> [String: String]
    {
        var files: [String: String] = [
            "landing/items.csv": items(seed: seed, rows: rows), "landing/customers.csv": customers(),
        ]
        var pipeline = "  q:\n    steps:\n"
        var datasets = """
              raw.items:
                owner: t
                classification: internal
                columns:
                  id: { type: int, required: true, unique: true }
                  customer: { type: int }
                  amount: { type: decimal, scale: 2 }
                  weight: { type: decimal }
                  ok: { type: bool }
                  day: { type: date }
                  shipped: { type: date, format: "%d/%m/%Y" }
                  ts: { type: timestamp }
                  note: { type: string }
              raw.customers:
                owner: t
                classification: internal
                columns: { id: { type: int, unique: true }, name: { type: string }, region: { type: string } }

            """
        for (name, step) in steps.sorted(by: { $0.key < $1.key }) {
            files["models/\(name).sql"] = step.sql + "\n"
            pipeline +=
                "      \(name): { sql: models/\(name).sql, inputs: [raw.items, raw.customers], output: staged.\(name) }\n"
            datasets += "  staged.\(name):\n    owner: t\n    classification: internal\n\(step.output)\n"
        }
        files["sluice.yaml"] =
            "sql: { engine: \(engine.rawValue), duckdb: { threads: 2, memory_limit: 512MB } }\n"
            + RunnerHarness.yaml(pipeline: pipeline, datasets: datasets).replacingOccurrences(
                of: "  orders: { path: landing/orders.csv, format: csv, into: raw.orders, mode: snapshot }",
                with: """
                      orders: { path: landing/orders.csv, format: csv, into: raw.orders, mode: snapshot }
                      items: { path: landing/items.csv, format: csv, into: raw.items, mode: snapshot }
                      customers: { path: landing/customers.csv, format: csv, into: raw.customers, mode: snapshot }
                    """)
        return files
    }

    static func customers() -> String {
        let names = ["Zoë", "Ana, the first", "Bob \"B\"", "Łukasz", "陈", "Émile", "☃ snow", ""]
        var csv = "id,name,region\n"
        for (index, name) in names.enumerated() {
            csv += "\(index + 1),\(quoted(name)),\(index % 2 == 0 ? "north" : "süd")\n"
        }
        return csv
    }

    /// Rows of every type in several spellings each, from a fixed seed.
    static func items(seed: UInt64, rows: Int) -> String {
        var state = seed
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        let bools = ["true", "FALSE", "t", "f", "yes", "No", "Y", "n", "1", "0", ""]
        let notes = ["plain", "with, comma", "with \"quote\"", "two\nlines", "ünïcödé ☃ 🚀", "", "tab\there"]
        var csv = "id,customer,amount,weight,ok,day,shipped,ts,note\n"
        for id in 1...rows {
            let customer = next(10) == 0 ? "" : "\(next(8) + 1)"
            let amount =
                next(12) == 0 ? "" : "\(next(2) == 0 ? "" : "+")\(next(100_000)).\(String(format: "%02d", next(100)))"
            let weight = next(10) == 0 ? "" : ["\(next(1000))e-2", "-\(next(50)).5", "\(next(9))", "0.1"][next(4)]
            let day = next(9) == 0 ? "" : String(format: "2024-%02d-%02d", next(12) + 1, next(28) + 1)
            let shipped = next(9) == 0 ? "" : "\(next(28) + 1)/\(next(12) + 1)/2025"
            let zones = ["Z", "+02:00", "-0700", "", "+05:30"]
            let ts =
                next(9) == 0
                ? ""
                : String(format: "2024-03-%02dT%02d:%02d:%02d", next(28) + 1, next(24), next(60), next(60))
                    + (next(2) == 0 ? ".\(next(1000))" : "") + zones[next(zones.count)]
            csv +=
                "\(id),\(customer),\(amount),\(weight),\(bools[next(bools.count)]),\(day),\(shipped),\(ts),\(quoted(notes[next(notes.count)]))\n"
        }
        return csv
    }

    static func quoted(_ text: String) -> String {
        text.contains(where: { ",\"\n".contains($0) })
            ? "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : text
    }
}
