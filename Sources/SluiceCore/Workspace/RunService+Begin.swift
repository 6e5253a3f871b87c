import Foundation

extension RunService {
    /// Starts a run of `name`: checks the request and every grant it needs once (a refusal is audited), stages
    /// the run when its target is protected (write-audit-publish), and saves its record as running. Nothing is
    /// created before every check has passed. The session returned is all the run does to the store from then on.
    public func begin(_ name: String, options: RunOptions, traceID: String) async throws -> RunSession {
        guard let pipeline = project.pipelines[name] else {
            throw UsageError.notFound(
                "no pipeline \(NameRules.quoted(name)) in the project",
                hint: "pipelines: \(project.pipelines.keys.sorted().joined(separator: ", "))")
        }
        let graph = try StepGraph(pipeline)
        let target = try validEnvironmentName(options.environment)
        let selected = try selection(options.select, of: graph, pipeline: name)
        let previous = try await resumed(options.resume, pipeline: name, environment: target)
        let runID = options.runID ?? RunRecord.newID(now: now())
        // A protected environment is written only by write-audit-publish: the run works in a fresh staging
        // environment branched from it, and the target moves by promotion once all has passed.
        let protected = policy.isProtected(target)
        let environment: String
        if protected {
            environment = try await RunStagingService(context: context).beginStaging(
                for: target, runID: runID, pipeline: pipeline)
        } else {
            environment = target
            try await RunStagingService(context: context).requireRun(pipeline, environment: environment)
        }
        let (record, head) = try await RunStagingService(context: context).environmentHead(environment)
        var run = RunRecord(
            id: runID, pipeline: name, environment: target, principal: identity.name, traceID: traceID,
            gitCommit: await recordedGitCommit(), baseCommit: head?.id, maxParallel: options.maxParallel,
            startedAt: now(),
            steps: graph.order.filter { selected.contains($0) }.map { StepRun(step: graph.steps[$0].name) })
        run.resumedFrom = options.resume
        run.workEnvironment = environment
        run.host = ProcessInfo.processInfo.hostName
        run.pid = getpid()
        if options.inService { run.inService = true }
        let session = RunSession(
            context: context, pipeline: pipeline, graph: graph, selected: selected, started: run, head: head,
            previous: previous, useCache: options.useCache,
            environment: record, protected: protected)
        try await session.save(run)
        EngineMetrics.runStarted(run)
        try await metadata.touchEnvironment(environment, at: now())
        return session
    }

    /// The steps the run makes (all when `names` is empty), as indices of `graph`.
    private func selection(_ names: [String], of graph: StepGraph, pipeline: String) throws -> Set<Int> {
        guard !names.isEmpty else { return Set(graph.steps.indices) }
        return Set(
            try names.map { step in
                guard let index = graph.index(of: step) else {
                    throw UsageError.notFound(
                        "pipeline \(pipeline) has no step \(NameRules.quoted(step))",
                        hint: "steps: \(graph.steps.map(\.name).joined(separator: ", "))")
                }
                return index
            })
    }

    /// The failed run that `id` names, which this run finishes.
    private func resumed(_ id: String?, pipeline: String, environment: String) async throws -> RunRecord? {
        guard let id else { return nil }
        // A run in an environment the caller may not read is not named to it.
        guard let found = try await metadata.run(id), visibility.mayRead(found.environment) else {
            throw UsageError.notFound("no run \(NameRules.quoted(id))", hint: "sluice runs lists them")
        }
        guard found.pipeline == pipeline, found.environment == environment else {
            throw UsageError(
                "run \(id) was of \(found.pipeline) in \(found.environment), not \(pipeline) in \(environment)")
        }
        guard found.status != .succeeded else { throw UsageError("run \(id) already succeeded; nothing to resume") }
        return found
    }

    /// A session for step runs of `pipeline` outside any environment (step tests, reproductions): its steps read
    /// the inputs they are given (those it made, or that the caller may read in `readsFrom`), reuse nothing and
    /// land nothing.
    public func detachedSession(
        runID: String, pipeline: Pipeline, environment: String, readsFrom: String? = nil
    ) async throws -> RunSession {
        var run = RunRecord(
            id: runID, pipeline: pipeline.name, environment: environment, principal: identity.name, traceID: "",
            gitCommit: await recordedGitCommit(), baseCommit: nil, maxParallel: 1, startedAt: now(), steps: [])
        run.workEnvironment = environment
        return RunSession(
            context: context, pipeline: pipeline, graph: try StepGraph(pipeline), selected: [], started: run, head: nil,
            previous: nil, useCache: false, environment: nil, protected: false, readsFrom: readsFrom)
    }
}
