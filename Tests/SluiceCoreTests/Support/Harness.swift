import Foundation
import SluiceQuality
import SluiceStore

@testable import SluiceCore

/// A loaded fixture project on in-memory stores, with workspaces acting as any principal.
final class Harness: @unchecked Sendable {
    let folder: TemporaryProject
    let project: Project
    private(set) var objects: InMemoryObjectStore!
    let metadata = InMemoryMetadataStore()
    var git: FixedGit = .clean
    /// Where landing files are read (the project folder on disk unless a test swaps it).
    var files: any EngineFiles = LocalFileSource()
    private let clockLock = NSLock()
    private var clock = Timestamp(milliseconds: 1_790_000_000_000)

    init(files: [String: String] = Fixture.files) throws {
        folder = try TemporaryProject(files: files)
        project = try ProjectLoader(files: LocalFileSource()).loadValidated(root: folder.root).project
        objects = InMemoryObjectStore()
    }

    /// A time that moves forward 1 ms per reading, so events are ordered and reproducible.
    func now() -> Timestamp {
        clockLock.withLock {
            clock = Timestamp(milliseconds: clock.milliseconds + 1)
            return clock
        }
    }

    /// Moves the clock forward, as days pass.
    func advance(days: Int) {
        clockLock.withLock { clock = Timestamp(milliseconds: clock.milliseconds + Int64(days) * 86_400_000) }
    }

    func identity(_ principal: String, _ authentication: Authentication = .token) -> Identity {
        let role = project.principals[principal].flatMap { project.roles[$0.role] }
        return Identity(
            principal: principal, role: role, authentication: authentication,
            tokenID: authentication == .token ? "test" : nil)
    }

    var anonymous: Identity {
        Identity(
            principal: nil,
            role: IdentityResolver(policy: AppliedPolicy(project: project), metadata: metadata).anonymousRole,
            authentication: .anonymous)
    }

    func workspace(_ identity: Identity) -> Workspace {
        Workspace(
            project: project, objects: objects, metadata: metadata, identity: identity, gate: ContractGate(), git: git,
            files: files,
            now: { [self] in now() })
    }

    func workspace(_ principal: String, _ authentication: Authentication = .token) -> Workspace {
        workspace(identity(principal, authentication))
    }

    /// Stores bytes as the engine does: marked as written now, then put.
    func put(_ data: Data) async throws -> ObjectID {
        _ = await metadata.markWritten([ObjectID.hashing(data)], at: now())
        return try await objects.put(data)
    }

    func writeLanding(_ name: String, _ content: String) throws {
        try folder.write("landing/orders/\(name)", content)
    }
}
