import ArgumentParser
import Foundation
import SluiceCore
import SluiceStore

/// `sluice export …`: files for the tools a team already runs, made from the project.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract:
            "Write files for other tools from the project (Grafana, Prometheus, Terraform, Kubernetes, CI, container).",
        subcommands: [
            Grafana.self, PrometheusRulesExport.self, TerraformExportCommand.self, KubernetesExportCommand.self,
            CIExportCommand.self, ContainerExportCommand.self,
        ])

    /// Writes `files` (name → contents) into `folder` (made if need be), printing each path.
    static func write(_ files: [(String, Data)], into folder: String) throws {
        let base = URL(fileURLWithPath: folder)
        for (name, data) in files {
            let url = base.appendingPathComponent(name)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try data.write(to: url, options: .atomic)
            print(url.path)
        }
    }

    struct PrometheusRulesExport: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "prometheus-rules",
            abstract: "Write the project's alerts: as Prometheus alerting rules over sluice serve's /metrics.",
            discussion: """
                For a team whose own Prometheus and Alertmanager do the alerting: load the file with Prometheus's \
                rule_files. Each rule judges what the service judges for the same alert. Writes to standard output \
                unless --out names a file.
                """)

        @Option(help: "The file to write (default: standard output).")
        var out: String?

        @OptionGroup var projectOptions: ProjectOptions

        func run() async throws {
            let project = try ProjectLoader(files: LocalFileSource()).loadValidated(root: projectOptions.root()).project
            let rules = PrometheusRules(project: project)
            guard let out else {
                print(rules.yaml(), terminator: "")
                return
            }
            try Data(rules.yaml().utf8).write(to: URL(fileURLWithPath: out), options: .atomic)
            Terminal.warn("\(rules.rules.count) alerting rules written to \(out)")
        }
    }

    struct Grafana: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write a Grafana dashboard over sluice serve's /metrics, with its provisioning files.",
            discussion: """
                Writes OUT/dashboards/sluice.json, OUT/provisioning/dashboards/sluice.yaml (loading that folder from \
                --dashboards-path) and OUT/provisioning/datasources/sluice.yaml (Prometheus at --prometheus-url). \
                Copy them into Grafana's provisioning and dashboards folders.
                """)

        @Option(help: "The folder to write into.")
        var out = "grafana"

        @Option(help: "The Prometheus that scrapes sluice serve, as Grafana reaches it.")
        var prometheusURL = "http://localhost:9090"

        @Option(help: "Where Grafana will find the dashboards folder.")
        var dashboardsPath = "/var/lib/grafana/dashboards/sluice"

        @OptionGroup var projectOptions: ProjectOptions

        func validate() throws {
            guard let url = URL(string: prometheusURL), ["http", "https"].contains(url.scheme ?? ""), url.host != nil,
                !prometheusURL.contains(where: \.isWhitespace)
            else { throw ValidationError("--prometheus-url must be an http(s) URL such as http://prometheus:9090") }
            guard dashboardsPath.hasPrefix("/"), !dashboardsPath.contains(where: \.isNewline) else {
                throw ValidationError("--dashboards-path must be an absolute path")
            }
        }

        func run() async throws {
            // The project's files only: the store is not opened.
            let project = try ProjectLoader(files: LocalFileSource()).loadValidated(root: projectOptions.root()).project
            let dashboard = GrafanaDashboard(project: project.name)
            let (dashboards, datasource) = dashboard.provisioning(
                prometheusURL: prometheusURL, dashboardsFolder: dashboardsPath)
            let files: [(String, Data)] = [
                ("dashboards/sluice.json", try dashboard.json()),
                ("provisioning/dashboards/sluice.yaml", Data(dashboards.utf8)),
                ("provisioning/datasources/sluice.yaml", Data(datasource.utf8)),
            ]
            try ExportCommand.write(files, into: out)
            Terminal.warn("dashboard \(dashboard.uid) over the metrics of sluice serve (GET /metrics)")
        }
    }
}
