import ArgumentParser
import Foundation
import SluiceCore
import SluiceStore

extension ExportCommand {
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
            try ExportCommand.checkImage(image)
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
            try ExportCommand.write([("sluice.yaml", Data(try export.yaml().utf8))], into: out)
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
            try ExportCommand.write([("sluice.tf.json", try TerraformExport(project: project).json())], into: out)
        }
    }

    struct CIExportCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ci",
            abstract: "Write a CI pipeline: validate, test and review every change; run main into production.",
            discussion: """
                --github writes OUT/.github/workflows/sluice.yml, --gitlab OUT/.gitlab-ci.yml. Every change runs \
                sluice validate, sluice test and sluice plan against its base (a change that needs a second \
                approval fails the job). On main, each pipeline runs into the first protected environment through \
                the service (SLUICE_SERVER) with the CI principal's token from the CI system's secrets \
                (SLUICE_CI_TOKEN).
                """)

        @Flag(help: "GitHub Actions or GitLab CI.")
        var system: CIExport.System = .github

        @Option(help: "The folder to write into (the repository's root).")
        var out = "."

        @Option(help: "The container image that holds sluice.")
        var image = "sluice:latest"

        @OptionGroup var projectOptions: ProjectOptions

        func validate() throws {
            try ExportCommand.checkImage(image)
        }

        func run() async throws {
            let project = try ProjectLoader(files: LocalFileSource()).loadValidated(root: projectOptions.root()).project
            let name = system == .github ? ".github/workflows/sluice.yml" : ".gitlab-ci.yml"
            let text = CIExport(project: project, image: image).render(system)
            try ExportCommand.write([(name, Data(text.utf8))], into: out)
        }
    }

    struct ContainerExportCommand: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "container",
            abstract: "Write a Dockerfile that builds sluice and runs sluice serve on a slim base as a non-root user.",
            discussion: "Writes OUT/Dockerfile and OUT/.dockerignore, to build in a checkout of Sluice's sources.")

        @Option(help: "The folder to write into.")
        var out = "."

        func run() async throws {
            let export = ContainerExport()
            try ExportCommand.write(
                [("Dockerfile", Data(export.dockerfile().utf8)), (".dockerignore", Data(export.dockerignore().utf8))],
                into: out)
        }
    }
}

extension CIExport.System: EnumerableFlag {}

extension ExportCommand {
    /// An image reference: registry, path, tag or digest characters only (it is written into YAML and shells).
    static func checkImage(_ image: String) throws {
        let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-/:@")
        guard !image.isEmpty, !image.hasPrefix("-"), image.unicodeScalars.allSatisfy(allowed.contains) else {
            throw ValidationError("--image must be an image reference such as registry.example.com/sluice:1.0")
        }
    }
}
