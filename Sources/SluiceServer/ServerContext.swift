import Foundation
import Logging
import SluiceCore
import SluiceQuality
import SluiceRunner
import SluiceStore

/// What the service holds for its whole life: the project as loaded at start, and its store. Each request gets
/// its own `Workspace`, acting as the principal of the request's bearer token, under the policy in force.
public struct ServerContext: Sendable {
    public let project: Project
    public let objects: any ObjectStore
    public let metadata: any MetadataStore
    public let git: any GitInspector
    public let files: any FileSource
    public let logger: Logger
    /// Where runs started through the API go, and the runs going on in the service (each can be stopped).
    public let launcher = RunLauncher()
    public let runs = InProcessRuns()
    /// Where `/metrics` reads from: the Prometheus backend the process bootstrapped (nil: no `/metrics`).
    public var metrics: PrometheusMetrics?
    /// The service's address as people reach it (`--external-url`), for links in alerts; `nil`: the address
    /// it listens on.
    public var externalURL: String?

    public init(
        project: Project, objects: any ObjectStore, metadata: any MetadataStore, git: any GitInspector = GitWorkTree(),
        files: any FileSource = LocalFileSource(),
        logger: Logger = Logger(label: "sluice.server")
    ) {
        self.project = project
        self.objects = objects
        self.metadata = metadata
        self.git = git
        self.files = files
        self.logger = logger
    }

    /// Opens the store of the project at `root` (validated first).
    public static func open(root: URL) throws -> ServerContext {
        let project = try ProjectLoader(files: LocalFileSource()).loadValidated(root: root).project
        let store = try LocalStore(directory: project.storeDirectory)
        return ServerContext(project: project, objects: store.objects, metadata: store.metadata)
    }

    /// A workspace acting as the owner of `token`. A request without a token, or with one that is unknown or
    /// revoked, is `unauthenticated` (HTTP 401); a refused token is audited.
    public func workspace(token: String?) async throws -> Workspace {
        guard let token, !token.isEmpty else {
            throw Unauthenticated("this request needs a token: send Authorization: Bearer TOKEN")
        }
        let applied = try await PolicyLedger(metadata: metadata).inForce(project: project, git: git, now: .now())
        let identity: Identity
        do {
            identity = try await IdentityResolver(policy: applied, metadata: metadata).resolveAudited(
                token: token, osUser: nil, at: .now())
        } catch is AccessDenied {
            throw Unauthenticated("the bearer token is unknown or revoked; ask an admin for a new one")
        }
        return workspace(identity: identity, policy: applied)
    }

    /// A workspace acting as an anonymous reader: it holds the grants of the project's `anonymous` role, if
    /// it declares one, else none (for the web UI's visitors who have not signed in).
    public func anonymousWorkspace() async throws -> Workspace {
        let applied = try await PolicyLedger(metadata: metadata).inForce(project: project, git: git, now: .now())
        let identity = try await IdentityResolver(policy: applied, metadata: metadata).resolve(token: nil, osUser: nil)
        return workspace(identity: identity, policy: applied)
    }

    private func workspace(identity: Identity, policy: AppliedPolicy) -> Workspace {
        Workspace(
            project: project, objects: objects, metadata: metadata, identity: identity, gate: ContractGate(), git: git,
            files: files, appliedPolicy: policy, logger: logger)
    }
}

/// No credentials, or credentials that name nobody: HTTP 401.
public struct Unauthenticated: SluiceError {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var status: ExitStatus { .denied }
    public var code: ErrorCode { .unauthenticated }
    public var description: String { message }
}
