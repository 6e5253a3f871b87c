import Foundation
import Logging
import SluiceCore
import SluiceQuality
import SluiceRunner
import SluiceStore

/// What the service holds for its whole life: the project in force (committed, followed as commits arrive) and
/// its store. Each request gets its own `Workspace`, acting as the principal of the request's bearer token,
/// under the policy in force.
public struct ServerContext: Sendable {
    public let inForce: ProjectInForce
    /// The project in force now.
    public var project: Project { inForce.current }
    public let objects: any ObjectStore
    public let metadata: any MetadataStore
    public let git: any GitInspector
    public let files: any EngineFiles
    public let logger: Logger
    /// Where runs started through the API go, and the runs going on in the service (each can be stopped).
    public let launcher = RunLauncher()
    public let runs = InProcessRuns()
    /// Failed sign-ins by client address: counted, audited a window at a time, limited.
    public let signIns: SignInLimiter
    /// Refusals of requests without a token, audited a client-minute at a time.
    public let anonymousRefusals: SignInLimiter
    /// Caps on uploads spooled before the engine reads them (`--max-upload-mib`).
    public var uploads = UploadSpool()
    /// Runs each principal may have going on at once through the API (`--max-runs-per-principal`).
    public var runQuota = RunQuota()
    /// Connection limits and timeouts of the HTTP server.
    public var connections = ConnectionSettings()
    /// Where `/metrics` reads from: the Prometheus backend the process bootstrapped (nil: no `/metrics`).
    public var metrics: PrometheusMetrics?
    /// The service's address as people reach it (`--external-url`), for links in alerts; `nil`: the address
    /// it listens on.
    public var externalURL: String? {
        didSet {
            if let host = externalURL.flatMap({ URL(string: $0)?.host?.lowercased() }) { allowedHosts.insert(host) }
        }
    }
    /// Host names the service answers to besides IP addresses and `localhost` (`--allow-host`, and the host
    /// of `--external-url`).
    public var allowedHosts: Set<String> = []

    public init(
        project: Project, objects: any ObjectStore, metadata: any MetadataStore, git: any GitInspector = GitWorkTree(),
        files: any EngineFiles = LocalFileSource(),
        logger: Logger = Logger(label: "sluice.server")
    ) {
        self.inForce = ProjectInForce(project)
        self.objects = objects
        self.metadata = metadata
        self.git = git
        self.files = files
        self.logger = logger
        self.signIns = SignInLimiter(metadata: metadata, logger: logger)
        self.anonymousRefusals = SignInLimiter(
            metadata: metadata, limit: Int.max, logger: logger,
            event: ("access", "requests without a token", "requests without a token that the policy refuses"),
            authentications: false)
    }

    /// A DNS host name: dot-separated labels of letters, digits and `-`.
    public static func isHostName(_ text: String) -> Bool {
        let labels = text.split(separator: ".", omittingEmptySubsequences: false)
        return !text.isEmpty && text.utf8.count <= 253
            && labels.allSatisfy { label in
                (1...63).contains(label.utf8.count) && label.first != "-" && label.last != "-"
                    && label.unicodeScalars.allSatisfy {
                        $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "-")
                    }
            }
    }

    /// Opens the store of the project at `root`: in a git work tree with a commit, the project as committed
    /// at HEAD (validated; the work tree's uncommitted changes are not run); else the work tree's.
    public static func open(root: URL) async throws -> ServerContext {
        let git = GitWorkTree()
        let files = LocalFileSource()
        var project: Project
        var folder: URL?
        if await git.state(of: root).commit != nil {
            (project, folder) = try await Blocking.run {
                try CommittedProject.load(root: root, git: git, files: files)
            }
        } else {
            project = try ProjectLoader(files: files).loadValidated(root: root).project
        }
        let store = try LocalStore(directory: project.storeDirectory)
        let context = ServerContext(project: project, objects: store.objects, metadata: store.metadata)
        if let folder { context.inForce.adopt(folder) }
        return context
    }

    /// A workspace acting as the owner of `token`. A token that is unknown or revoked is `unauthenticated`
    /// (HTTP 401; a request without one acts as anonymous: `anonymousWorkspace`); refused tokens are counted by client address and audited a
    /// minute at a time (`SignInLimiter`), and a client over its limit gets 429 before its token is looked up.
    public func workspace(token: String?) async throws -> Workspace {
        let client = RequestClient.address
        guard let token, !token.isEmpty else {
            throw Unauthenticated("this request needs a token: send Authorization: Bearer TOKEN")
        }
        if let seconds = signIns.retryAfter(client) {
            throw ServiceBusy.rateLimited(
                "too many requests with unknown or revoked tokens from \(client); wait a minute", retryAfter: seconds)
        }
        let applied = try await PolicyLedger(metadata: metadata).inForce(project: project, git: git, now: .now())
        let identity: Identity
        do {
            identity = try await IdentityResolver(policy: applied, metadata: metadata).resolveAudited(
                token: token, osUser: nil, at: .now(), unknownTokens: { [signIns] in signIns.failed(client) })
        } catch let tampered as TamperedRecord {
            // Said to the operator, never to the caller, who is told only that the token does not work.
            logger.error(
                "a request's token matches a tampered token record: \(tampered.what)",
                metadata: ["event.action": "authenticate", "error.type": "tampered"])
            throw Unauthenticated("the bearer token is unknown or revoked; ask an admin for a new one")
        } catch is AccessDenied {
            throw Unauthenticated("the bearer token is unknown or revoked; ask an admin for a new one")
        }
        return workspace(identity: identity, policy: applied)
    }

    /// A workspace acting as an anonymous reader: it holds the grants of the project's `anonymous` role, if
    /// it declares one, else none (for API requests without a token and the web UI's visitors who have not
    /// signed in, as for the command line without one).
    /// A request's (`countingDenials`) has its refusals counted into `anonymousRefusals` by client address.
    public func anonymousWorkspace(countingDenials: Bool = false) async throws -> Workspace {
        let applied = try await PolicyLedger(metadata: metadata).inForce(project: project, git: git, now: .now())
        let identity = try await IdentityResolver(policy: applied, metadata: metadata).resolve(token: nil, osUser: nil)
        let workspace = workspace(identity: identity, policy: applied)
        guard countingDenials else { return workspace }
        let (refusals, client) = (anonymousRefusals, RequestClient.address)
        return workspace.countingDenials(CountedDenials { _ in refusals.failed(client) })
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

/// How many connections the service holds at once, and how long it waits for slow or silent clients.
public struct ConnectionSettings: Sendable {
    /// Connections held at once; further ones wait in the kernel's queue until one closes.
    public var maximum = 512
    /// Connections one client address holds at once; more are closed as they open. Behind a reverse proxy
    /// every client has the proxy's address: raise it there (`--max-connections-per-client`).
    public var maximumPerClient = 64
    /// Seconds for a request's head to arrive whole.
    public var headerTimeoutSeconds: Int64 = 10
    /// Seconds a request body may stall between two chunks.
    public var bodyStallTimeoutSeconds: Int64 = 30
    /// Seconds a connection may stay silent both ways before it is closed.
    public var idleTimeoutSeconds: Int64 = 60

    public init() {}
}
