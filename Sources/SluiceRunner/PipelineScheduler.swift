import Foundation
import Logging
import SluiceCore

/// Fires pipelines on their `schedule:`. Each due tick is claimed in the metadata store before its run starts,
/// so two services on one store, or a service restarted, never run one tick twice. A pipeline fires into its
/// `environment:` (the project's default when absent), as the principal the project names under
/// `service: { run_as: }`; into a protected environment that is write-audit-publish, as for a person.
///
/// - A tick missed while no service ran is run once, on the next check: the newest missed one, not each.
/// - The first time a service sees a schedule, ticks before that are not run; the newest is recorded so that
///   later downtime is noticed.
/// - A pipeline never overlaps itself in one environment: a tick due while its previous run still runs is
///   claimed as skipped (`overlap: skip`, the default), or waits until that run has ended (`overlap: wait`).
public struct PipelineScheduler: Sendable {
    /// The project in force now (a service follows its git branch: each look reads it anew).
    public var project: Project { currentProject() }
    private let currentProject: @Sendable () -> Project
    public let objects: any ObjectStore
    public let metadata: any MetadataStore
    public let gate: (any QualityGate)?
    public let git: any GitInspector
    /// Where the landing files are.
    public let files: any EngineFiles
    /// Who claims ticks (`host:pid`).
    public let claimant: String
    public let logger: Logger
    /// Makes the runner for a scheduled run (tests inject their executor and clock).
    public let makeRunner: @Sendable (Workspace) -> PipelineRunner
    /// Fault injection for tests of races, handed to the service's workspaces.
    public var checkpoint: @Sendable (String) async -> Void = { _ in }

    public init(
        project: @autoclosure @escaping @Sendable () -> Project, objects: any ObjectStore,
        metadata: any MetadataStore, gate: (any QualityGate)?,
        git: any GitInspector, files: any EngineFiles,
        claimant: String = "\(ProcessInfo.processInfo.hostName):\(getpid())",
        logger: Logger = Logger(label: "sluice.scheduler"),
        makeRunner: @escaping @Sendable (Workspace) -> PipelineRunner = { PipelineRunner(workspace: $0) }
    ) {
        self.currentProject = project
        self.objects = objects
        self.metadata = metadata
        self.gate = gate
        self.git = git
        self.files = files
        self.claimant = claimant
        self.logger = logger
        self.makeRunner = makeRunner
    }

    /// A tick this scheduler claimed, and whether it is to run.
    public struct Claimed: Sendable, Hashable {
        public var claim: TickClaim
        public var runs: Bool
    }

    /// Claims what is due at `now`: for each scheduled pipeline, its newest fire time at or before `now`
    /// that is newer than the last claimed one.
    public func claimDue(now: Timestamp) async throws -> [Claimed] {
        var claimed: [Claimed] = []
        for pipeline in project.pipelines.values.sorted(by: { $0.name < $1.name }) {
            guard let cron = pipeline.cron, let zone = TimeZone(identifier: pipeline.timeZone),
                let fire = cron.latest(atOrBefore: now.date, in: zone)
            else { continue }
            let environment = pipeline.environment ?? project.defaultEnvironment
            let tick = Timestamp(fire)
            let last = try await book.latestTick(pipeline: pipeline.name, environment: environment)
            guard last.map({ $0 < tick }) ?? true else { continue }
            var runs = last != nil
            var by = claimant
            if !runs { by += " (first seen: not run)" }
            if runs, let running = try await book.liveRun(of: pipeline.name, in: environment, at: now) {
                // Waiting: claimed on a later check, once the run has ended.
                if pipeline.overlap == .wait { continue }
                runs = false
                by += " (skipped: run \(running) still running)"
            }
            let claim = TickClaim(
                pipeline: pipeline.name, environment: environment, tick: tick, claimedAt: now, claimedBy: by)
            if try await book.claim(claim) { claimed.append(Claimed(claim: claim, runs: runs)) }
        }
        return claimed
    }

    /// Where the service's claims are kept.
    public var book: ScheduleBook { ScheduleBook(metadata: metadata) }

    /// Runs a claimed tick as the service's principal; the run's record (failed ones too), or `nil` when it
    /// could not start (the reason is logged, and audited when it was a refusal).
    public func run(_ claimed: Claimed) async -> RunRecord? {
        guard claimed.runs else { return nil }
        let claim = claimed.claim
        EngineMetrics.scheduled(pipeline: claim.pipeline, lag: claim.claimedAt.milliseconds - claim.tick.milliseconds)
        do {
            let workspace = try await serviceWorkspace()
            return try await makeRunner(workspace).run(
                claim.pipeline, options: RunOptions(environment: claim.environment))
        } catch let ended as any RunEndedBadly {
            return ended.run
        } catch {
            logger.error(
                "scheduled run of \(claim.pipeline) into \(claim.environment) could not start: \(error)",
                metadata: ["event.action": "schedule-fired", "event.outcome": "failure"])
            return nil
        }
    }

    /// A workspace acting as `service.run_as`, under the policy in force.
    func serviceWorkspace() async throws -> Workspace {
        guard let principal = project.serviceRunAs else {
            throw UsageError(
                "the project schedules pipelines but names no principal to run them as",
                hint: "declare service: { run_as: PRINCIPAL } in sluice.yaml")
        }
        let applied = try await PolicyLedger(metadata: metadata).inForce(project: project, git: git, now: .now())
        let identity = Identity(
            principal: principal, role: applied.role(ofPrincipal: principal), authentication: .service)
        return Workspace(
            project: project, objects: objects, metadata: metadata, identity: identity, gate: gate, git: git,
            files: files, appliedPolicy: applied, logger: logger, checkpoint: checkpoint)
    }
}
