import Foundation
import Logging
import ServiceLifecycle
import SluiceCore
import SluiceRunner

/// The scheduler inside `sluice serve`: at the start of every minute it claims the ticks due and starts their
/// runs, each in a task of its own, and enforces lifecycles when their pass is due. On graceful shutdown it
/// claims nothing more and waits for what it started.
struct SchedulerService: Service {
    let scheduler: PipelineScheduler
    let logger: Logger
    var keeper: LifecycleKeeper { LifecycleKeeper(scheduler: scheduler) }

    func run() async throws {
        await withTaskGroup(of: Void.self) { runs in
            while !Task.isShuttingDownGracefully && !Task.isCancelled {
                let now = Date()
                let wait = 60 - now.timeIntervalSince1970.truncatingRemainder(dividingBy: 60) + 0.5
                do {
                    try await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(wait)) }
                } catch {
                    break
                }
                if Task.isShuttingDownGracefully { break }
                do {
                    for claimed in try await scheduler.claimDue(now: .now()) where claimed.runs {
                        logger.info(
                            "schedule fired: \(claimed.claim.pipeline) into \(claimed.claim.environment)",
                            metadata: ["event.action": "schedule-fired", "pipeline": "\(claimed.claim.pipeline)"])
                        runs.addTask { _ = await scheduler.run(claimed) }
                    }
                } catch {
                    logger.error("the scheduler could not claim its ticks: \(error)")
                }
                runs.addTask { [keeper, logger] in
                    do {
                        if let pass = try await keeper.keepIfDue(now: .now()) {
                            logger.info(
                                "lifecycles kept: \(pass.report.environments.filter(\.deleted).count) environments and \(pass.report.objects.count) objects deleted, \(pass.abandonedRunsEnded.count) abandoned runs ended",
                                metadata: ["event.action": "lifecycle-pass"])
                        }
                    } catch {
                        logger.error(
                            "the lifecycle pass failed: \(error)", metadata: ["event.action": "lifecycle-pass"])
                    }
                }
            }
            await runs.waitForAll()
        }
    }
}
