import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The unprivileged user command steps run as when Sluice itself runs as root: a step then cannot read
/// the engine's memory or environment (the engine is non-dumpable and another user), nor the store
/// (`.sluice/` is readable by its owner only). Sluice running as an ordinary user runs steps as that user.
public struct StepUser: Sendable, Equatable {
    public var name: String
    public var uid: UInt32
    public var gid: UInt32

    public init(name: String, uid: UInt32, gid: UInt32) {
        self.name = name
        self.uid = uid
        self.gid = gid
    }

    /// `SLUICE_STEP_USER` (default `nobody`) when this process runs as root; `nil` otherwise.
    public static func forThisProcess() -> StepUser? {
        guard geteuid() == 0 else { return nil }
        return named(ProcessInfo.processInfo.environment["SLUICE_STEP_USER"] ?? "nobody")
    }

    /// The user from the password database; `nobody` is 65534 where the database lacks it. A name that
    /// resolves to root is refused: steps never run as root.
    static func named(_ name: String) -> StepUser {
        if let entry = getpwnam(name), entry.pointee.pw_uid != 0 {
            return StepUser(name: name, uid: entry.pointee.pw_uid, gid: entry.pointee.pw_gid)
        }
        return StepUser(name: "nobody", uid: 65534, gid: 65534)
    }

    /// Gives the step the folders it writes in.
    func own(_ folders: [URL]) throws {
        for folder in folders where chown(folder.path, uid, gid) != 0 {
            throw SpawnError(
                message: "cannot hand \(folder.path) to the step user \(name): \(String(cString: strerror(errno)))")
        }
    }
}
