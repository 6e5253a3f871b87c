import Foundation
import Yams

/// Kubernetes manifests that run `sluice serve` for the project: the project's files in a ConfigMap, a
/// Deployment with probes on `/healthz` and `/readyz` and a locked-down container (non-root, read-only root,
/// no capabilities, RuntimeDefault seccomp), its Service, a workers Deployment, a ServiceAccount with no API
/// token (Sluice needs no Kubernetes API), credentials by Secret reference, and NetworkPolicies that let in
/// only what must reach the service and nothing to the workers.
public struct KubernetesExport: Sendable {
    public let project: Project
    /// The project's files: path relative to the project → contents.
    public let files: [String: String]
    public let image: String
    public let namespace: String
    /// The git commit the files were exported at, when known.
    public let commit: String?

    public init(project: Project, files: [String: String], image: String, namespace: String, commit: String?) {
        self.project = project
        self.files = files
        self.image = image
        self.namespace = namespace
        self.commit = commit
    }

    var name: String { "sluice-\(TerraformExport.bucketSuffix(project.name))" }

    func labels(_ component: String) -> [String: Any] {
        [
            "app.kubernetes.io/name": "sluice", "app.kubernetes.io/instance": name,
            "app.kubernetes.io/component": component,
        ]
    }

    func metadata(_ suffix: String, component: String) -> [String: Any] {
        ["name": suffix.isEmpty ? name : "\(name)-\(suffix)", "namespace": namespace, "labels": labels(component)]
    }

    /// A ConfigMap key for a project path (`datasets/orders.yaml` → `datasets__orders.yaml`).
    static func key(_ path: String) -> String { path.replacingOccurrences(of: "/", with: "__") }

    public func manifests() -> [[String: Any]] {
        [
            [
                "apiVersion": "v1", "kind": "ServiceAccount", "metadata": metadata("", component: "service"),
                "automountServiceAccountToken": false,
            ],
            [
                "apiVersion": "v1", "kind": "ConfigMap",
                "metadata": metadata("project", component: "project").merging([
                    "annotations": ["sluice.dev/git-commit": commit ?? "unknown"]
                ]) { $1 },
                "data": Dictionary(uniqueKeysWithValues: files.map { (Self.key($0.key), $0.value) }),
            ],
            [
                "apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": metadata("store", component: "store"),
                "spec": [
                    "accessModes": ["ReadWriteOnce"], "resources": ["requests": ["storage": "20Gi"]],
                ],
            ],
            deployment("", component: "service", replicas: 1, serving: true),
            deployment("worker", component: "worker", replicas: 0, serving: false).merging([
                "metadata": metadata("worker", component: "worker").merging([
                    "annotations": [
                        "sluice.dev/scaling":
                            "workers run schedules, triggers and lifecycles beside the service; they share its store, so scale them above 0 once the store is one they can share (not a local volume)"
                    ]
                ]) { $1 }
            ]) { $1 },
            [
                "apiVersion": "v1", "kind": "Service", "metadata": metadata("", component: "service"),
                "spec": [
                    "selector": labels("service"),
                    "ports": [["name": "http", "port": 8080, "targetPort": "http", "protocol": "TCP"]],
                ],
            ],
            networkPolicy("", component: "service", ingress: [["ports": [["port": 8080, "protocol": "TCP"]]]]),
            networkPolicy("worker", component: "worker", ingress: []),
        ]
    }

    private func deployment(_ suffix: String, component: String, replicas: Int, serving: Bool) -> [String: Any] {
        var container: [String: Any] = [
            "name": "sluice", "image": image, "imagePullPolicy": "IfNotPresent",
            "args": serving
                ? ["serve", "--host", "0.0.0.0", "--port", "8080", "--project", "/project"]
                : ["worker", "--project", "/project"],
            "envFrom": [["secretRef": ["name": "\(name)-credentials", "optional": true]]],
            "env": [["name": "SLUICE_STEP_USER", "value": "nobody"]],
            "volumeMounts": [
                ["name": "project", "mountPath": "/project"], ["name": "store", "mountPath": "/project/.sluice"],
                ["name": "tmp", "mountPath": "/tmp"],
            ],
            "resources": [
                "requests": ["cpu": "250m", "memory": "256Mi"], "limits": ["cpu": "2", "memory": "2Gi"],
            ],
            "securityContext": [
                "allowPrivilegeEscalation": false, "readOnlyRootFilesystem": true, "runAsNonRoot": true,
                "runAsUser": 10001, "runAsGroup": 10001, "capabilities": ["drop": ["ALL"]],
                "seccompProfile": ["type": "RuntimeDefault"],
            ],
        ]
        if serving {
            container["ports"] = [["name": "http", "containerPort": 8080, "protocol": "TCP"]]
            container["livenessProbe"] = ["httpGet": ["path": "/healthz", "port": "http"], "periodSeconds": 10]
            container["readinessProbe"] = ["httpGet": ["path": "/readyz", "port": "http"], "periodSeconds": 5]
        }
        let items = files.keys.sorted().map { ["key": Self.key($0), "path": $0] }
        // The project as a clean git tree (Sluice records the commit its policy was applied from): the
        // ConfigMap's files, committed once, in a folder the service may write its store under.
        let unpack = [
            "cp -RL /config/. /project/ && rm -rf /project/..?* && cd /project && git init -q",
            "git add -A && git -c user.name=sluice -c user.email=sluice@localhost commit -q -m \"$SLUICE_PROJECT_COMMIT\"",
        ].joined(separator: " && ")
        let initContainer: [String: Any] = [
            "name": "project", "image": image, "command": ["/bin/sh", "-c", unpack],
            "env": [["name": "SLUICE_PROJECT_COMMIT", "value": "project files of commit \(commit ?? "unknown")"]],
            "volumeMounts": [
                ["name": "config", "mountPath": "/config", "readOnly": true],
                ["name": "project", "mountPath": "/project"],
            ],
            "securityContext": container["securityContext"] ?? [:],
        ]
        return [
            "apiVersion": "apps/v1", "kind": "Deployment", "metadata": metadata(suffix, component: component),
            "spec": [
                "replicas": replicas, "selector": ["matchLabels": labels(component)],
                // One process owns a local store: the old pod stops before the new one starts.
                "strategy": ["type": "Recreate"],
                "template": [
                    "metadata": ["labels": labels(component)],
                    "spec": [
                        "serviceAccountName": name, "automountServiceAccountToken": false,
                        "securityContext": ["fsGroup": 10001, "runAsNonRoot": true],
                        "terminationGracePeriodSeconds": 45,
                        "initContainers": [initContainer],
                        "containers": [container],
                        "volumes": [
                            ["name": "config", "configMap": ["name": "\(name)-project", "items": items]],
                            ["name": "project", "emptyDir": [:] as [String: Any]],
                            ["name": "store", "persistentVolumeClaim": ["claimName": "\(name)-store"]],
                            ["name": "tmp", "emptyDir": [:] as [String: Any]],
                        ],
                    ],
                ],
            ],
        ]
    }

    private func networkPolicy(_ suffix: String, component: String, ingress: [[String: Any]]) -> [String: Any] {
        [
            "apiVersion": "networking.k8s.io/v1", "kind": "NetworkPolicy",
            "metadata": metadata(suffix, component: component),
            "spec": [
                "podSelector": ["matchLabels": labels(component)], "policyTypes": ["Ingress"], "ingress": ingress,
            ],
        ]
    }

    public func yaml() throws -> String {
        try Yams.dump(
            objects: manifests(), width: -1, allowUnicode: true, explicitStart: true, sortKeys: true,
            newLineScalarStyle: .literal)
    }
}
