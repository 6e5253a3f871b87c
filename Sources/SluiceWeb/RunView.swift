import Foundation
import Hummingbird
import SluiceCore

/// One run: its facts, its step graph coloured by status, a timeline of its attempts, the versions each step
/// read and wrote, its logs (tailed live while a step runs), how to reproduce it, and cancel or resume.
struct RunView: Sendable {
    struct VersionRow: Sendable {
        var direction: String
        var dataset: String
        var href: String
        var version: String
    }

    struct AttemptBlock: Sendable {
        var number: Int
        var outcome: String
        var exitCode: String?
        var took: String
        var stdout: String
        var stderr: String
        var cut: Bool
        var open: Bool
        var hidden: Bool
    }

    struct StepBlock: Sendable {
        var anchor: String
        var name: String
        var badge: Badge
        var duration: String
        var stepMessage: String?
        var reusedFrom: String?
        var reusedFromHref: String?
        var versions: Listing<VersionRow>?
        var attempts: [AttemptBlock]
        var tailURL: String?
        /// Why this viewer may not read the step's logs (nil: it may).
        var logsHidden: String?
    }

    var chrome: Chrome
    var id: String
    var runID: String
    var idSegment: String
    var badge: Badge
    var live: Bool
    var watchURL: String
    var state: String
    var pipeline: String
    var pipelineHref: String
    var environment: String
    var environmentHref: String
    var workEnvironment: String?
    var principal: String
    var started: When
    var duration: String
    var message: String?
    var resumedFrom: String?
    var resumedFromHref: String?
    var gitCommit: String
    var engineVersion: String
    var traceID: String
    var commit: String?
    var reproduce: [String]
    var rerun: String
    var actions: Bool
    var canCancel: Bool
    var canResume: Bool
    var graph: GraphPicture
    var timeline: TimelinePicture?
    var steps: [StepBlock]

    static let logLimit = 64 * 1024
}

extension RunView {
    static func build(_ viewer: Viewer, id: String, here: String) async throws -> RunView {
        let run = try await viewer.workspace.runRecord(id)
        let now = viewer.now
        let segment = Format.segment(run.id)
        let live = run.status == .running
        let mayChange = viewer.session != nil && viewer.may(.write, on: run.workEnvironment)
        let mayRun =
            viewer.session != nil
            && viewer.visibility.mayRun(into: run.environment)
        let canCancel = live && mayChange
        let canResume = (run.status == .failed || run.status == .cancelled) && mayRun
        return RunView(
            chrome: Chrome(title: "Run \(run.id)", section: .runs, viewer: viewer, here: here), id: run.id,
            runID: run.id, idSegment: segment, badge: Badge(run.status), live: live,
            watchURL: "/ui/runs/\(segment)/state", state: state(of: run),
            pipeline: run.pipeline, pipelineHref: "/ui/runs?pipeline=\(Format.query(run.pipeline))",
            environment: run.environment, environmentHref: "/ui/environments/\(Format.segment(run.environment))",
            workEnvironment: run.workEnvironment == run.environment ? nil : run.workEnvironment,
            principal: run.principal, started: When(run.startedAt, now: now),
            duration: Format.duration(milliseconds: (run.endedAt ?? now).milliseconds - run.startedAt.milliseconds)
                + (live ? " so far" : ""),
            message: run.message, resumedFrom: run.resumedFrom,
            resumedFromHref: run.resumedFrom.map { "/ui/runs/\(Format.segment($0))" },
            gitCommit: run.gitCommit ?? "not recorded", engineVersion: run.engineVersion, traceID: run.traceID,
            commit: run.commit.map { $0.short }, reproduce: reproduceCommands(run),
            rerun: "sluice run \(run.pipeline) --env \(run.environment)", actions: canCancel || canResume,
            canCancel: canCancel, canResume: canResume, graph: graph(of: run, project: viewer.project),
            timeline: run.steps.contains { !$0.attempts.isEmpty } ? TimelinePicture(run, now: now) : nil,
            steps: try await blocks(of: run, viewer: viewer))
    }

    /// What the page's script compares to decide to reload: the run's and its steps' statuses and attempts.
    static func state(of run: RunRecord) -> String {
        ([run.status.rawValue] + run.steps.map { "\($0.step):\($0.status.rawValue):\($0.attempts.count)" })
            .joined(separator: ",")
    }

    static func reproduceCommands(_ run: RunRecord) -> [String] {
        guard run.status == .succeeded else { return [] }
        return run.steps.flatMap { step in
            step.outputs.sorted { $0.key < $1.key }.map { dataset, version in
                "sluice reproduce \(dataset)@\(version.short) --env \(run.environment)"
            }
        }
    }

    static func graph(of run: RunRecord, project: Project) -> GraphPicture {
        let statuses = Dictionary(run.steps.map { ($0.step, $0) }, uniquingKeysWith: { first, _ in first })
        guard let pipeline = project.pipelines[run.pipeline], let graph = try? StepGraph(pipeline) else {
            // The pipeline changed or went since the run: draw the steps the run recorded, unconnected.
            let inputs = run.steps.map { step in
                GraphPicture.Input(
                    label: step.step, sublabel: Badge(step.status).label, tone: Badge(step.status).tone,
                    href: "#step-\(Format.segment(step.step))", title: "\(step.step): \(step.status.rawValue)")
            }
            return GraphPicture(inputs, edges: [], label: "Steps of run \(run.id)")
        }
        let inputs = graph.steps.map { step in
            let status = statuses[step.name]?.status ?? .pending
            let badge = Badge(status)
            return GraphPicture.Input(
                label: step.name, sublabel: "\(badge.symbol) \(badge.label)", tone: badge.tone,
                href: "#step-\(Format.segment(step.name))", title: "\(step.name): \(badge.label)")
        }
        let edges = graph.upstream.enumerated().flatMap { index, sources in
            sources.sorted().map { (from: $0, to: index) }
        }
        return GraphPicture(inputs, edges: edges, label: "Step graph of \(run.pipeline), coloured by status")
    }

    static func blocks(of run: RunRecord, viewer: Viewer) async throws -> [StepBlock] {
        var blocks: [StepBlock] = []
        for step in run.steps { blocks.append(try await block(step, of: run, viewer: viewer)) }
        return blocks
    }

    static func block(_ step: StepRun, of run: RunRecord, viewer: Viewer) async throws -> StepBlock {
        let now = viewer.now
        let versions =
            step.inputs.sorted { $0.key < $1.key }.map { ("read", $0.key, $0.value) }
            + step.outputs.sorted { $0.key < $1.key }.map { ("wrote", $0.key, $0.value) }
        let rows = versions.map { direction, dataset, version in
            VersionRow(
                direction: direction, dataset: dataset,
                href: "/ui/datasets/\(Format.segment(dataset))?env=\(Format.query(run.environment))",
                version: version.short)
        }
        var attempts: [AttemptBlock] = []
        let hidden = viewer.workspace.logsHidden(of: run, step: step.step)
        for attempt in step.attempts {
            let (stdout, cutOut) =
                hidden == nil ? try await text(attempt.stdout, of: run, step: step.step, viewer: viewer) : ("", false)
            let (stderr, cutErr) =
                hidden == nil ? try await text(attempt.stderr, of: run, step: step.step, viewer: viewer) : ("", false)
            let end = attempt.endedAt ?? now
            attempts.append(
                AttemptBlock(
                    number: attempt.number,
                    outcome: attempt.endedAt == nil ? "running" : attempt.succeeded ? "succeeded" : "failed",
                    exitCode: attempt.exitCode.map(String.init),
                    took: Format.duration(milliseconds: end.milliseconds - attempt.startedAt.milliseconds),
                    stdout: stdout, stderr: stderr, cut: cutOut || cutErr,
                    open: !attempt.succeeded && attempt.number == step.attempts.count, hidden: hidden != nil))
        }
        let running = step.status == .running
        let duration = step.startedAt.map {
            Format.duration(milliseconds: (step.endedAt ?? now).milliseconds - $0.milliseconds)
        }
        return StepBlock(
            anchor: Format.segment(step.step), name: step.step, badge: Badge(step.status), duration: duration ?? "",
            stepMessage: step.message, reusedFrom: step.reusedFrom,
            reusedFromHref: step.reusedFrom.map { "/ui/runs/\(Format.segment($0))" }, versions: .of(rows),
            attempts: attempts,
            tailURL: running && hidden == nil
                ? "/ui/runs/\(Format.segment(run.id))/tail?step=\(Format.query(step.step))" : nil,
            logsHidden: hidden)
    }

    /// An attempt's kept output: the last `logLimit` bytes, and whether some were left out.
    static func text(
        _ object: ObjectID?, of run: RunRecord, step: String, viewer: Viewer
    ) async throws -> (String, Bool) {
        guard let object else { return ("", false) }
        return try await viewer.workspace.attemptOutput(of: run, step: step, object: object, limit: logLimit)
    }
}
