import Foundation
import Logging
import ServiceLifecycle
import SluiceCore
import SluiceRunner

/// The service's own work inside `sluice serve`: every few seconds it looks for landing files that have
/// settled (ingesting them and starting the pipelines they trigger); at the start of every minute it claims the
/// scheduled ticks due and starts their runs, and enforces lifecycles when their pass is due. Each run goes in a
/// task of its own. On graceful shutdown it starts nothing more and waits for what it started.
struct SchedulerService: Service {
    let scheduler: PipelineScheduler
    let logger: Logger
    /// Interrupts the runs this service started: `grace` after a graceful shutdown began, running steps are
    /// killed and their runs end cancelled, audited, as `sluice run` does on a signal.
    let runs: InProcessRuns
    let grace: Duration
    var interval: Duration = .seconds(5)

    func run() async throws {
        await withGracefulShutdownHandler {
            await work()
        } onGracefulShutdown: { [runs, grace, logger] in
            logger.notice("stopping: no new work; running steps get \(grace) to finish")
            Task {
                try? await Task.sleep(for: grace)
                runs.interruptAll(because: "the service is stopping")
            }
        }
    }

    private func work() async {
        let watcher = LandingWatcher(scheduler: scheduler)
        let keeper = LifecycleKeeper(scheduler: scheduler)
        var minute = Int64.min
        await withTaskGroup(of: Void.self) { work in
            while !Task.isShuttingDownGracefully && !Task.isCancelled {
                do {
                    try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
                } catch {
                    break
                }
                if Task.isShuttingDownGracefully { break }
                let now = Timestamp.now()
                await log("the landing watcher failed") {
                    // Each file lands in a task of its own: a long triggered run does not hold up the next look.
                    for claimed in try await watcher.claimSettled(now: now) {
                        work.addTask {
                            let landed = await watcher.land(claimed)
                            logger.info(
                                "landed \(landed.path): \(landed.version.map { "version \($0.short)\(landed.unchanged ? ", nothing new" : "")" } ?? landed.problem ?? "")",
                                metadata: ["event.action": "landing-ingested", "file.path": "\(landed.path)"])
                        }
                    }
                }
                guard now.milliseconds / 60_000 != minute else { continue }
                minute = now.milliseconds / 60_000
                await log("the scheduler could not claim its ticks") {
                    for claimed in try await scheduler.claimDue(now: now) where claimed.runs {
                        logger.info(
                            "schedule fired: \(claimed.claim.pipeline) into \(claimed.claim.environment)",
                            metadata: ["event.action": "schedule-fired", "pipeline": "\(claimed.claim.pipeline)"])
                        work.addTask { _ = await scheduler.run(claimed) }
                    }
                }
                work.addTask {
                    await log("the lifecycle pass failed") {
                        guard let pass = try await keeper.keepIfDue(now: now) else { return }
                        logger.info(
                            "lifecycles kept: \(pass.report.environments.filter(\.deleted).count) environments and \(pass.report.objects.count) objects deleted, \(pass.abandonedRunsEnded.count) abandoned runs ended",
                            metadata: ["event.action": "lifecycle-pass"])
                    }
                }
            }
            await work.waitForAll()
        }
    }

    private func log(_ what: String, _ body: () async throws -> Void) async {
        do {
            try await body()
        } catch {
            logger.error(
                "\(what): \(error)", metadata: ["error.message": "\(error)", "error.type": "\(type(of: error))"])
        }
    }
}
