import ArgumentParser
import Foundation
import SluiceCore
import SluiceStore

/// `sluice export …`: files for the tools a team already runs, made from the project.
struct ExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write files for other tools from the project (Grafana, Prometheus, Terraform).",
        subcommands: [
            Grafana.self, PrometheusRulesExport.self, TerraformExportCommand.self, KubernetesExportCommand.self,
        ])

    struct KubernetesExportCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "kubernetes",
            abstract: "Write Kubernetes manifests that run sluice serve for the project.",
            discussion: """
                Writes OUT/sluice.yaml: a ServiceAccount without an API token, the project's files in a ConfigMap \
                (unpacked into a clean git tree by an init container), the service's Deployment (probes on \
                /healthz and /readyz, non-root, read-only root, no capabilities) and Service, a workers Deployment, \
                a volume for the store, credentials from the Secret NAME-credentials (optional), and \
                NetworkPolicies.
                """)

        @Option(help: "The folder to write into.")
        var out = "kubernetes"

        @Option(help: "The container image that holds sluice (see sluice export container).")
        var image = "sluice:latest"

        @Option(help: "The namespace to deploy into.")
        var namespace = "sluice"

        @OptionGroup var projectOptions: ProjectOptions

        func validate() throws {
            guard !image.isEmpty, !image.contains(where: { $0.isWhitespace }) else {
                throw ValidationError("--image must be an image reference such as registry.example.com/sluice:1.0")
            }
            guard NameRules.isIdentifier(namespace), namespace.count <= 63 else {
                throw ValidationError("--namespace must be lower-case letters, digits and -")
            }
        }

        func run() async throws {
            let root = projectOptions.root()
            let project = try ProjectLoader(files: LocalFileSource()).loadValidated(root: root).project
            let files = try ProjectFiles.read(root)
            let commit = await GitWorkTree().state(of: root).recorded
            let export = KubernetesExport(
                project: project, files: files, image: image, namespace: namespace, commit: commit)
            let folder = URL(fileURLWithPath: out)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let file = folder.appendingPathComponent("sluice.yaml")
            try Data(try export.yaml().utf8).write(to: file, options: .atomic)
            print(file.path)
        }
    }

    struct TerraformExportCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "terraform",
            abstract: "Write the buckets and IAM roles that mirror the project's environments, lifecycles and grants.",
            discussion: """
                Writes OUT/sluice.tf.json (Terraform's JSON syntax): a versioned, encrypted, private S3 bucket per \
                environment (per pattern for sandbox/*-style ones) with lifecycle rules from the zones and \
                environments, an IAM role per project role whose policy mirrors its grants, and on protected \
                environments a bucket policy refusing writes from anyone but the pipeline's role. Set \
                trusted_principals (who may assume the roles) when you plan.
                """)

        @Option(help: "The folder to write into.")
        var out = "terraform"

        @OptionGroup var projectOptions: ProjectOptions

        func run() async throws {
            let project = try ProjectLoader(files: LocalFileSource()).loadValidated(root: projectOptions.root()).project
            let folder = URL(fileURLWithPath: out)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let file = folder.appendingPathComponent("sluice.tf.json")
            try TerraformExport(project: project).json().write(to: file, options: .atomic)
            print(file.path)
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
            let folder = URL(fileURLWithPath: out)
            let (dashboards, datasource) = dashboard.provisioning(
                prometheusURL: prometheusURL, dashboardsFolder: dashboardsPath)
            let files: [(String, Data)] = [
                ("dashboards/sluice.json", try dashboard.json()),
                ("provisioning/dashboards/sluice.yaml", Data(dashboards.utf8)),
                ("provisioning/datasources/sluice.yaml", Data(datasource.utf8)),
            ]
            for (path, data) in files {
                let url = folder.appendingPathComponent(path)
                try FileManager.default.createDirectory(
                    at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try data.write(to: url, options: .atomic)
                print(url.path)
            }
            Terminal.warn("dashboard \(dashboard.uid) over the metrics of sluice serve (GET /metrics)")
        }
    }
}
