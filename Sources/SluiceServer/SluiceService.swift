import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import SluiceQuality
import SluiceRunner

/// `sluice serve`: the HTTP API in a `ServiceGroup` that stops on SIGTERM or SIGINT, finishing the requests
/// in flight, and exits.
public struct SluiceService {
    public let context: ServerContext
    public let host: String
    public let port: Int
    /// How long running steps may go on after SIGTERM before they are killed.
    public let grace: Duration

    public init(context: ServerContext, host: String = "127.0.0.1", port: Int = 8080, grace: Duration = .seconds(30)) {
        self.context = context
        self.host = host
        self.port = port
        self.grace = grace
    }

    /// The application; `onRunning` is told the port it listens on (useful with port 0).
    public func application(onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        let limits = context.connections
        let logger = context.logger
        let byClient = ConnectionsByClient(maximum: limits.maximumPerClient)
        return Application(
            router: SluiceAPI(context: context).router(),
            server: .http1(
                configuration: .init(
                    additionalChannelHandlers: [
                        ClientConnectionGate(connections: byClient, logger: logger),
                        RequestTimeoutHandler(
                            headerTimeout: .seconds(limits.headerTimeoutSeconds),
                            bodyStallTimeout: .seconds(limits.bodyStallTimeoutSeconds), logger: logger),
                    ],
                    idleTimeout: .seconds(limits.idleTimeoutSeconds))),
            configuration: .init(
                address: .hostname(host, port: port), serverName: "sluice",
                availableConnectionsDelegate: ConnectionLimit(maximum: limits.maximum, logger: logger)),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) },
            logger: context.logger)
    }

    /// Serves, and fires scheduled pipelines, until SIGTERM or SIGINT.
    public func run(onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let swept = PrivateFile.sweepLeftovers()
        if !swept.isEmpty {
            context.logger.notice(
                "removed \(swept.count) spooled transfers a stopped service left behind",
                metadata: ["event.action": "spool.swept"])
        }
        let folders = ScratchSweeper.sweepGone(
            runs: try await context.anonymousWorkspace().recorder.allRuns(), now: .now())
        if !folders.isEmpty {
            context.logger.notice(
                "removed the working folders of \(folders.count) runs whose process was killed",
                metadata: ["event.action": "run-folders.swept"])
        }
        let address = ServiceAddress(context.externalURL ?? "")
        let host = self.host
        let http = application(onRunning: { port in
            address.listening(host: host, port: port)
            await onRunning(port)
        })
        // Last, so that it hears of a shutdown first: from then on new work is refused with 503.
        let drain = DrainOnShutdown(launcher: context.launcher)
        try await Self.runGroup(
            [http, context.launcher, context.signIns, context.anonymousRefusals] + work(address: address) + [drain],
            context: context)
    }

    /// `sluice worker`: the service's own work without its HTTP API: schedules, landing triggers, lifecycles,
    /// alerts and deliveries. Several workers (and services) share a store: each tick, landing file and
    /// lifecycle pass is claimed in it once.
    public func runWorker(onRunning: @escaping @Sendable () async -> Void = {}) async throws {
        let address = ServiceAddress(context.externalURL ?? "")
        await onRunning()
        try await Self.runGroup(work(address: address), context: context)
    }

    private func work(address: ServiceAddress) -> [any Service] {
        let runs = context.runs
        let inForce = context.inForce
        let scheduler = PipelineScheduler(
            project: inForce.current, objects: context.objects, metadata: context.metadata, gate: ContractGate(),
            git: context.git, files: context.files, logger: context.logger,
            makeRunner: { PipelineRunner(workspace: $0, inProcess: runs) })
        return [
            GitFollower(
                inForce: inForce, root: context.project.root, git: context.git, files: context.files,
                logger: context.logger),
            SchedulerService(scheduler: scheduler, logger: context.logger, runs: runs, grace: grace),
            AlertService(context: context, address: address),
        ]
    }

    private static func runGroup(_ services: [any Service], context: ServerContext) async throws {
        let group = ServiceGroup(
            configuration: .init(
                services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: context.logger))
        try await group.run()
    }
}
