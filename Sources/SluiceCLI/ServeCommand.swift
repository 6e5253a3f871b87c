import ArgumentParser
import Foundation
import Metrics
import SluiceServer

/// `sluice serve`: the team's service: the web UI, the HTTP API, the scheduler, the landing-folder watcher and
/// lifecycle enforcement, in one process.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract:
            "Serve the web UI (/ui) and the HTTP API (/api/v1, /healthz, /readyz), run schedules, triggers and lifecycles, until SIGTERM or SIGINT; then exit 0."
    )

    @Option(help: "The address to listen on.")
    var host = "127.0.0.1"

    @Option(help: "The port to listen on (0: any free port, printed when listening).")
    var port = 8080

    @Option(help: "Seconds running steps may go on after SIGTERM before they are killed and their runs cancelled.")
    var grace = 30

    @Option(
        help: ArgumentHelp(
            "The service's address as people reach it (behind a proxy), for links to the web UI in alerts.",
            valueName: "url"))
    var externalURL: String?

    @Option(
        name: .customLong("allow-host"),
        help: ArgumentHelp(
            "A host name the service answers to besides IP addresses, localhost and --external-url's host (repeatable); requests naming any other Host get 400, against DNS rebinding.",
            valueName: "name"))
    var allowedHosts: [String] = []

    @Option(help: "The largest upload (ingest or check body) the service spools, in MiB; larger ones get 413.")
    var maxUploadMib = 1024

    @Option(help: "Runs one principal may have going on at once through the API and the web UI; more get 429.")
    var maxRunsPerPrincipal = 8

    @Option(help: "Connections the service holds at once; further ones wait until one closes.")
    var maxConnections = 512

    @Option(help: "Connections one client address may hold at once (raise it behind a reverse proxy).")
    var maxConnectionsPerClient = 64

    @OptionGroup var projectOptions: ProjectOptions

    func validate() throws {
        guard maxUploadMib >= 1 else { throw ValidationError("--max-upload-mib must be at least 1") }
        guard maxRunsPerPrincipal >= 1 else { throw ValidationError("--max-runs-per-principal must be at least 1") }
        guard (1...1_000_000).contains(maxConnections), (1...maxConnections).contains(maxConnectionsPerClient) else {
            throw ValidationError(
                "--max-connections must be from 1 to 1000000 and --max-connections-per-client from 1 to it")
        }
        for name in allowedHosts where !ServerContext.isHostName(name) {
            throw ValidationError("--allow-host \(name) is not a host name such as sluice.example.com")
        }
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be from 0 to 65535") }
        guard grace >= 0 else { throw ValidationError("--grace must be 0 or more seconds") }
        if let externalURL { try Self.checkExternalURL(externalURL) }
    }

    /// An http or https URL without credentials or a query.
    static func checkExternalURL(_ text: String) throws {
        guard let url = URL(string: text), ["http", "https"].contains(url.scheme ?? ""), url.host != nil,
            url.user == nil, url.query == nil
        else { throw ValidationError("--external-url must be an http or https URL such as https://sluice.example.com") }
    }

    func run() async throws {
        var opened = try await ServerContext.open(root: projectOptions.root())
        // The one place metrics are bootstrapped: Prometheus, read at /metrics.
        let metrics = PrometheusMetrics()
        MetricsSystem.bootstrap(metrics)
        opened.metrics = metrics
        opened.externalURL = externalURL
        opened.allowedHosts = Set(allowedHosts.map { $0.lowercased() })
        opened.uploads = UploadSpool(maxUploadBytes: Int64(maxUploadMib) << 20)
        opened.runQuota = RunQuota(maximumPerPrincipal: maxRunsPerPrincipal)
        opened.connections.maximum = maxConnections
        opened.connections.maximumPerClient = maxConnectionsPerClient
        let context = opened
        defer { context.inForce.removeCopies() }
        let host = self.host
        try await SluiceService(context: context, host: host, port: port, grace: .seconds(grace)).run { port in
            Terminal.line(
                "sluice serves \(context.project.name) on http://\(host):\(port) (the web UI at /ui; SIGTERM or Ctrl-C stops it)"
            )
        }
    }
}
