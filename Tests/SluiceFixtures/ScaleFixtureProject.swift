import Foundation

/// The fixture's `sluice.yaml` and SQL files: raw datasets landed by sources (some with PII and contracts),
/// and pipelines whose steps write staged and curated datasets, a few on schedules.
struct ScaleFixtureProject {
    let fixture: ScaleFixture

    func rawName(_ index: Int) -> String { "raw.source_\(String(format: "%03d", index))" }

    func outputName(pipeline: Int, step: Int) -> String {
        let zone = step < fixture.stepsPerPipeline / 2 + 1 ? "staged" : "curated"
        return "\(zone).p\(String(format: "%02d", pipeline))_s\(step)"
    }

    func write(to folder: URL) throws {
        var yaml = """
            project: scale
            zones:
              - { name: raw, lifecycle: { keep: forever } }
              - { name: staged, lifecycle: { keep_versions: 10, keep_days: 90 } }
              - { name: curated, lifecycle: { keep_versions: 30, keep_days: 365 } }
            quarantine: { lifecycle: { keep_days: 30 } }
            runs: { lifecycle: { keep_days: 90 } }
            environments:
              prod: { protected: true }
              dev: { lifecycle: { expire_after_idle: 30d } }
              "sandbox/*": { lifecycle: { expire_after_idle: 7d } }
            roles:
              pipeline: { grants: ["read:*", "write:*", "promote:prod", "delete:*"] }
              engineer: { grants: ["read:*", "write:dev", "write:sandbox/*"] }
              analyst: { grants: ["read:prod:curated"] }
              admin: { grants: ["read:*", "admin:*", "delete:*", "unmask:*"] }
              anonymous: { grants: ["read:*"], classification: internal }
            principals:
              ci: { role: pipeline }
              alice: { role: engineer }
              bob: { role: analyst }
              ops: { role: admin }
            service: { run_as: ci, gc: "0 3 1 1 *" }
            sources:

            """
        for index in 0..<fixture.rawDatasets {
            yaml += "  drop_\(index): { path: landing/s\(index)/*.csv, format: csv, into: \(rawName(index)) }\n"
        }
        yaml += "datasets:\n"
        for index in 0..<fixture.rawDatasets {
            yaml += rawDataset(index)
        }
        for pipeline in 0..<fixture.pipelines {
            for step in 0..<fixture.stepsPerPipeline {
                let classification = step % 3 == 0 ? "internal" : "public"
                yaml += "  \(outputName(pipeline: pipeline, step: step)):\n"
                yaml += "    owner: team\(pipeline % 5)@example.com\n    classification: \(classification)\n"
                if step == fixture.stepsPerPipeline - 1 {
                    yaml += "    checks:\n      - { freshness: { column: at, max_age: 2d } }\n"
                    yaml += "    columns:\n      id: { type: int, required: true }\n      at: { type: timestamp }\n"
                }
            }
        }
        yaml += "pipelines:\n"
        for pipeline in 0..<fixture.pipelines {
            yaml += "  pipeline_\(String(format: "%02d", pipeline)):\n"
            if pipeline % 3 == 0 { yaml += "    schedule: \"\(pipeline % 60) \(pipeline % 24) * * *\"\n" }
            yaml += "    steps:\n"
            for step in 0..<fixture.stepsPerPipeline {
                let input =
                    step == 0
                    ? rawName(pipeline % fixture.rawDatasets) : outputName(pipeline: pipeline, step: (step - 1) / 2)
                yaml += "      step_\(step):\n        sql: models/p\(pipeline)_s\(step).sql\n"
                yaml += "        inputs: [\(input)]\n        output: \(outputName(pipeline: pipeline, step: step))\n"
                let sql = "SELECT id, at FROM \(input)\n"
                try write(sql, to: folder.appendingPathComponent("models/p\(pipeline)_s\(step).sql"))
            }
        }
        try write(yaml, to: folder.appendingPathComponent("sluice.yaml"))
        try write(".sluice/\nlanding/\n", to: folder.appendingPathComponent(".gitignore"))
    }

    private func rawDataset(_ index: Int) -> String {
        let classification = index % 4 == 0 ? "confidential" : "internal"
        var text = "  \(rawName(index)):\n    owner: ingest@example.com\n    classification: \(classification)\n"
        if index % 4 == 0 { text += "    pii: [email]\n" }
        text += """
                columns:
                  id: { type: int, required: true, unique: true }
                  email: { type: string }
                  amount: { type: decimal, min: 0 }
                  at: { type: timestamp }

            """
        return text
    }

    private func write(_ text: String, to url: URL) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(text.utf8).write(to: url)
    }
}
