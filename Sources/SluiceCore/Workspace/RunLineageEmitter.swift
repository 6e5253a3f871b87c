import Foundation
import Logging

/// OpenLineage events of runs as they happen, queued in the store's outbox for the configured endpoint: a
/// pipeline run is a job run (`PIPELINE`, START then COMPLETE, FAIL or ABORT) and each step run is a job run
/// of its own (`PIPELINE.STEP`) whose parent run facet names the pipeline run; sql steps carry the SQL job
/// facet. The runner shows it each saved record; it queues what changed since the last one. Step run ids
/// are those `sluice lineage --format openlineage` gives the same step runs.
final class RunLineageEmitter: @unchecked Sendable {
    let context: EngineContext
    let settings: OpenLineageSettings
    let logger: Logger
    private let lock = NSLock()
    /// Events already queued: `RUN/STEP START`, `RUN END`, …
    private var queued = Set<String>()
    /// Runs whose end was queued: nothing more is sent for them.
    private var ended = Set<String>()

    init?(context: EngineContext, logger: Logger) {
        guard let settings = context.project.openLineage else { return nil }
        self.context = context
        self.settings = settings
        self.logger = logger
    }

    /// The namespace of the run's environment: its jobs and datasets are that environment's.
    func namespace(_ run: RunRecord) -> String {
        LineageService(context: context).openLineageNamespace(run.environment)
    }

    /// Queues the events `run` shows that were not queued yet. A failure to queue is logged; the run goes on.
    func observe(_ run: RunRecord) async {
        do {
            let events = try await newEvents(run)
            guard !events.isEmpty else { return }
            let now = Timestamp.now()
            try await context.metadata.enqueue(
                try events.map { event in
                    OutboxMessage(
                        channel: "openlineage", destination: settings.destination,
                        body: try JSONSerialization.data(
                            withJSONObject: event, options: [.sortedKeys, .withoutEscapingSlashes]),
                        createdAt: now)
                })
        } catch {
            logger.warning(
                "OpenLineage events of run \(run.id) not queued: \(error)",
                metadata: ["error.message": "\(error)", "error.type": "\(type(of: error))"])
        }
    }

    /// Marks `key` queued; false when it was already.
    private func first(_ key: String) -> Bool { lock.withLock { queued.insert(key).inserted } }

    func newEvents(_ run: RunRecord) async throws -> [[String: Any]] {
        if lock.withLock({ ended.contains(run.id) }) { return [] }
        var events: [[String: Any]] = []
        if first("\(run.id) START") { events.append(pipelineEvent(run, "START", at: run.startedAt)) }
        let pipeline = context.project.pipelines[run.pipeline]
        for step in run.steps {
            let key = "\(run.id)/\(step.step)"
            let ended = [.succeeded, .failed, .cached, .resumed].contains(step.status)
            if let start = step.startedAt ?? (ended ? step.endedAt : nil), first("\(key) START") {
                events.append(
                    try await stepEvent(run, step, pipeline?.steps.first { $0.name == step.step }, "START", at: start))
            }
            if ended, first("\(key) END") {
                let type = step.status == .failed ? "FAIL" : "COMPLETE"
                let at = step.endedAt ?? run.endedAt ?? Timestamp.now()
                events.append(
                    try await stepEvent(run, step, pipeline?.steps.first { $0.name == step.step }, type, at: at))
            }
        }
        if run.status != .running, first("\(run.id) END") {
            let type = run.status == .succeeded ? "COMPLETE" : run.status == .cancelled ? "ABORT" : "FAIL"
            events.append(pipelineEvent(run, type, at: run.endedAt ?? Timestamp.now()))
        }
        if run.status != .running {
            lock.withLock {
                queued = queued.filter { !$0.hasPrefix(run.id) }
                ended.insert(run.id)
            }
        }
        return events
    }

    private func pipelineEvent(_ run: RunRecord, _ type: String, at time: Timestamp) -> [String: Any] {
        var facets = runFacets(run)
        if type == "FAIL", let message = run.message { facets["errorMessage"] = error(message, language: "sluice") }
        return event(
            type, at: time, runID: LineageService.uuid(run.id), runFacets: facets,
            job: job(run.pipeline, in: namespace(run), type: "DAG", extra: [:]), inputs: [], outputs: [])
    }

    private func stepEvent(
        _ run: RunRecord, _ step: StepRun, _ declared: Step?, _ type: String, at time: Timestamp
    ) async throws -> [String: Any] {
        let lineage = LineageService(context: context)
        var facets = runFacets(run)
        let namespace = self.namespace(run)
        let parentJob: [String: Any] = ["namespace": namespace, "name": run.pipeline]
        let parentRun: [String: Any] = ["runId": LineageService.uuid(run.id)]
        facets["parent"] = LineageService.facet(
            "ParentRunFacet", ["run": parentRun, "job": parentJob, "root": ["run": parentRun, "job": parentJob]])
        var jobFacets: [String: Any] = [:]
        var language = "shell"
        if case .sql(let file) = declared?.kind {
            language = "sql"
            let url = context.project.codeRoot.appendingPathComponent(file)
            if let data = context.files.contents(of: url, from: 0), data.count <= 1 << 20 {
                jobFacets["sql"] = LineageService.facet(
                    "SQLJobFacet",
                    [
                        "query": String(decoding: data, as: UTF8.self),
                        "dialect": declared?.sqlEngine.rawValue ?? "sqlite",
                    ])
            }
        }
        if type == "FAIL" { facets["errorMessage"] = error(step.message ?? "the step failed", language: language) }
        var inputs: [[String: Any]] = []
        var outputs: [[String: Any]] = []
        if type == "START" {
            inputs = (declared?.inputs ?? []).map { ["namespace": namespace, "name": $0.description] }
        } else {
            for (name, version) in step.inputs.sorted(by: { $0.key < $1.key }) {
                inputs.append(try await lineage.openLineageDataset(name, version, in: namespace, assertions: false))
            }
            for (name, version) in step.outputs.sorted(by: { $0.key < $1.key }) {
                outputs.append(try await lineage.openLineageDataset(name, version, in: namespace, assertions: true))
            }
        }
        return event(
            type, at: time, runID: LineageService.uuid("\(run.id)/\(step.step)"), runFacets: facets,
            job: job("\(run.pipeline).\(step.step)", in: namespace, type: "TASK", extra: jobFacets), inputs: inputs,
            outputs: outputs)
    }

    private func runFacets(_ run: RunRecord) -> [String: Any] {
        [
            "processing_engine": LineageService.facet(
                "ProcessingEngineRunFacet", ["version": run.engineVersion, "name": "sluice"]),
            "sluice": LineageService.facet(
                "SluiceRunFacet",
                ["runId": run.id, "environment": run.environment, "gitCommit": run.gitCommit ?? ""]),
        ]
    }

    private func job(_ name: String, in namespace: String, type: String, extra: [String: Any]) -> [String: Any] {
        let jobType = LineageService.facet(
            "JobTypeJobFacet", ["processingType": "BATCH", "integration": "SLUICE", "jobType": type])
        return ["namespace": namespace, "name": name, "facets": extra.merging(["jobType": jobType]) { $1 }]
    }

    private func error(_ message: String, language: String) -> [String: Any] {
        LineageService.facet("ErrorMessageRunFacet", ["message": message, "programmingLanguage": language])
    }

    private func event(
        _ type: String, at time: Timestamp, runID: String, runFacets: [String: Any], job: [String: Any],
        inputs: [[String: Any]], outputs: [[String: Any]]
    ) -> [String: Any] {
        [
            "eventType": type, "eventTime": time.iso8601, "run": ["runId": runID, "facets": runFacets], "job": job,
            "inputs": inputs, "outputs": outputs, "producer": LineageService.producer,
            "schemaURL": LineageService.runEventSchema,
        ]
    }
}
