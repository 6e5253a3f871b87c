import Foundation
import Logging
import ServiceLifecycle
import SluiceClient
import SluiceCore
import SluiceRunner

/// The service's alerting and delivery inside `sluice serve`: every `evaluate_every` it judges the project's
/// alert rules and records what started or stopped firing (with the messages announcing it, in the store's
/// outbox); every `resend_every` it queues firing alerts for Alertmanager again; every second it delivers
/// what the outbox holds. It reads the store and posts to other systems only: no run ever waits for it.
struct AlertService: Service {
    let context: ServerContext
    /// The service's address as people reach it, for links in alerts (known once it listens).
    let address: ServiceAddress
    var transport: any OutboxTransport = HTTPPoster()
    var deliverEvery: Duration = .seconds(1)

    func run() async throws {
        let dispatcher = OutboxDispatcher(metadata: context.metadata, transport: transport, logger: context.logger)
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                await every(deliverEvery, "delivering the outbox failed") { try await dispatcher.deliverDue() }
            }
            let settings = context.project.alerts
            if !settings.rules.isEmpty {
                group.addTask { await judge(settings) }
            }
            await group.waitForAll()
        }
    }

    private func judge(_ settings: AlertSettings) async {
        var lastResend = Timestamp(milliseconds: 0)
        let interval = Duration.seconds(settings.evaluateEvery.seconds)
        await every(interval, "judging the alert rules failed") {
            let keeper = AlertKeeper(
                project: context.project, externalURL: address.externalURL, metadata: context.metadata)
            let now = Timestamp.now()
            let hold =
                settings.rules.compactMap { rule -> Int64? in
                    if case .protectedDenial(let hold) = rule.condition { return hold.seconds }
                    return nil
                }.max() ?? 0
            let facts = try await AlertFacts.read(
                try await context.anonymousWorkspace(), now: now,
                deniedSince: Timestamp(milliseconds: now.milliseconds - hold * 1000))
            let round = try await keeper.evaluate(facts)
            log(round)
            if now.milliseconds - lastResend.milliseconds >= settings.resendEvery.seconds * 1000 {
                try await keeper.resend(now: now)
                lastResend = now
            }
        }
    }

    private func log(_ round: AlertKeeper.Round) {
        for alert in round.fired {
            context.logger.warning(
                "alert \(alert.labels["alertname"] ?? "") firing: \(alert.annotations["summary"] ?? "")",
                metadata: [
                    "event.action": "alert-fired", "event.kind": "alert", "sluice.alert": "\(alert.fingerprint)",
                ])
        }
        for alert in round.resolved {
            context.logger.notice(
                "alert \(alert.labels["alertname"] ?? "") resolved: \(alert.annotations["summary"] ?? "")",
                metadata: [
                    "event.action": "alert-resolved", "event.kind": "alert", "sluice.alert": "\(alert.fingerprint)",
                ])
        }
    }

    /// Runs `body` every `interval` until the service stops, logging (not ending on) its failures.
    private func every(_ interval: Duration, _ what: String, _ body: () async throws -> Void) async {
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                try await body()
            } catch {
                context.logger.error(
                    "\(what): \(error)", metadata: ["error.message": "\(error)", "error.type": "\(type(of: error))"])
            }
            do {
                try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            } catch {
                return
            }
        }
    }
}

/// Where people reach the service: `--external-url`, else `http://HOST:PORT` once it listens.
final class ServiceAddress: @unchecked Sendable {
    private let lock = NSLock()
    private var url: String

    init(_ url: String) { self.url = url }

    var externalURL: String { lock.withLock { url } }

    func listening(host: String, port: Int) {
        lock.withLock { if url.isEmpty { url = "http://\(host.contains(":") ? "[\(host)]" : host):\(port)" } }
    }
}
