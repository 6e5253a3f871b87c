import Foundation
import SluiceCore
import SluiceTestSupport

extension ScaleFixtureWriter {
    /// Runs spread over 30 days, oldest first: most succeed, some fail after retries (their later steps
    /// skipped), some were cancelled, the newest few still run. Returns their ids and one failed run's.
    func runRecords(_ random: inout SplitMix) async throws -> (ids: [String], failed: String) {
        let logs = try await [
            objects.put(Data("reading input\nwrote 40 rows\n".utf8)),
            objects.put(Data("error: constraint failed: <b>id</b> & \"quotes\"\n".utf8)),
        ]
        var ids: [String] = []
        var failed = ""
        let start = now - 30 * Self.day
        for number in 0..<fixture.runs {
            let pipeline = number % fixture.pipelines
            let began = start + Int64(number) * (30 * Self.day - 3_600_000) / Int64(fixture.runs)
            let id = "r\(began)-\(String(format: "%05d", number))"
            let roll = random.below(100)
            let live = number >= fixture.runs - 3
            let status: RunStatus = live ? .running : roll < 88 ? .succeeded : roll < 96 ? .failed : .cancelled
            var run = RunRecord(
                id: id, pipeline: "pipeline_\(String(format: "%02d", pipeline))",
                environment: number % 3 == 0 ? "prod" : "dev", principal: number % 5 == 0 ? "alice" : "ci",
                traceID: String(format: "%032x", number), gitCommit: String(repeating: "a", count: 40), baseCommit: nil,
                maxParallel: 2, startedAt: at(began), steps: [])
            if run.environment == "prod" { run.workEnvironment = "staging/\(id)" }
            let failing = status == .failed ? random.below(fixture.stepsPerPipeline) : nil
            var clock = began
            for step in 0..<fixture.stepsPerPipeline {
                var stepRun = StepRun(step: "step_\(step)")
                if let failing, step > failing {
                    stepRun.status = .skipped
                } else if live && step > 1 {
                    stepRun.status = step == 2 ? .running : .pending
                } else {
                    let tries = step == failing ? 3 : (random.below(10) == 0 ? 2 : 1)
                    stepRun.startedAt = at(clock)
                    for attempt in 1...tries {
                        var made = StepAttempt(number: attempt, startedAt: at(clock))
                        clock += Int64(500 + random.below(4_000))
                        made.endedAt = at(clock)
                        made.succeeded = attempt == tries && step != failing
                        made.exitCode = made.succeeded ? 0 : 1
                        made.stdout = logs[0]
                        made.stderr = made.succeeded ? nil : logs[1]
                        stepRun.attempts.append(made)
                    }
                    stepRun.endedAt = at(clock)
                    stepRun.status = step == failing ? .failed : .succeeded
                }
                run.steps.append(stepRun)
            }
            run.status = status
            if status == .running {
                run.heartbeatAt = .now()
            } else {
                run.endedAt = at(clock + 200)
                run.message = status == .failed ? "step step_\(failing ?? 0) failed after 3 attempts" : nil
            }
            if status == .failed { failed = id }
            try await metadata.saveRun(run)
            ids.append(id)
        }
        return (ids, failed)
    }

    /// Ten gate results per dataset and environment pair that holds it, a few failing or warning.
    func checkRuns(_ random: inout SplitMix) async throws {
        for (index, name) in datasetNames.enumerated() {
            for number in 0..<10 {
                let environment = number % 2 == 0 ? "dev" : "prod"
                let failing = random.below(20) == 0
                let warning = !failing && random.below(20) == 0
                let time = now - Int64(10 - number) * Self.day - Int64(index) * 1000
                let checks = [
                    CheckResult(
                        id: "id.unique", type: "unique", column: "id", severity: .error, success: !failing,
                        elementCount: 40, unexpectedCount: failing ? 2 : 0, unexpectedPercent: failing ? 5 : 0,
                        samples: [], message: nil),
                    CheckResult(
                        id: "at.freshness", type: "freshness", column: "at", severity: .warn, success: !warning,
                        elementCount: 40, unexpectedCount: 0, unexpectedPercent: 0, samples: [], message: nil),
                ]
                let report = ValidationReport(
                    dataset: name, files: ["part-0.csv"], rows: 40, validRows: failing ? 38 : 40,
                    invalidRows: failing ? 2 : 0, batchProblems: [], checks: checks, checkedAt: at(time))
                let run = CheckRun(
                    id: "c-\(index)-\(number)", dataset: DatasetName(name)!, environment: environment,
                    version: nil, quarantine: nil, origin: "landing/s\(index)/part-\(number).csv", passed: !failing,
                    report: report, at: at(time))
                try await metadata.saveCheckRun(
                    run,
                    audit: try run.auditDraft(
                        by: Identity(principal: "ci", role: nil, authentication: .token), at: at(time)))
            }
        }
    }

    /// Batches the gates held back: whole files refused, from the raw datasets.
    func quarantineBatches(_ random: inout SplitMix) async throws -> [String] {
        let text = "id,email,amount,at\n1,held@example.com,-3,2026-11-02T10:00:00Z\n2,<script>x</script>,oops,never\n"
        let data = Data(text.utf8)
        let object = try await objects.put(data)
        var ids: [String] = []
        for number in 0..<40 {
            let raw = number % fixture.rawDatasets
            let id = "q-\(String(format: "%05d", number))"
            try await metadata.saveQuarantine(
                QuarantineBatch(
                    id: id, kind: .rejected, dataset: DatasetName(project.rawName(raw))!,
                    environment: "dev", origin: "landing/s\(raw)/late-\(number).csv",
                    reason: "amount.min failed on 1 of 2 rows; at is not a timestamp", rows: 2,
                    files: [
                        ManifestFile(
                            name: "late-\(number).csv", chunks: [ChunkRef(object: object, bytes: Int64(data.count))],
                            rows: 2)
                    ],
                    format: .csv, at: at(now - Int64(40 - number) * 3_600_000 * 4), by: "ci"))
            ids.append(id)
        }
        _ = random.next()
        return ids
    }

    /// The audit chain, oldest first: ingests, runs, promotions, environment changes, and denials (more of
    /// them in the last day).
    func auditTrail(_ random: inout SplitMix) async throws {
        let start = now - 30 * Self.day
        let existing = try await metadata.auditHead()?.sequence ?? 0
        let count = max(0, fixture.auditEvents - Int(existing))
        let actions = ["ingest", "run.start", "run.finish", "promote", "env.create", "read", "gc"]
        for number in 0..<count {
            let time = start + Int64(number) * (30 * Self.day - 60_000) / Int64(max(1, count))
            let denied = random.below(100) < (time > now - Self.day ? 10 : 2)
            let action = actions[random.below(actions.count)]
            let principal = ["ci", "alice", "bob", "ops"][random.below(4)]
            _ = try await metadata.appendAudit(
                AuditDraft(
                    time: at(time), principal: principal, authentication: .token, action: action,
                    target: action == "promote" ? "prod" : "dev:\(project.rawName(number % fixture.rawDatasets))",
                    outcome: denied ? .denied : .succeeded,
                    details: denied ? ["reason": "\(principal) may not \(action) prod"] : ["n": "\(number)"]))
        }
    }
}
