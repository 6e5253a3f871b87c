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
    /// Whether each run gets a user of its own (see `forRun`); false for a user the operator named.
    public var perRun: Bool

    public init(name: String, uid: UInt32, gid: UInt32, perRun: Bool = false) {
        self.name = name
        self.uid = uid
        self.gid = gid
        self.perRun = perRun
    }

    /// When this process runs as root: `SLUICE_STEP_USER` if set (every run's steps run as that user), else a
    /// user of each run's own (`forRun`); `nil` when this process is an ordinary user.
    public static func forThisProcess() -> StepUser? {
        guard geteuid() == 0 else { return nil }
        guard let name = ProcessInfo.processInfo.environment["SLUICE_STEP_USER"] else {
            var user = named("nobody")
            user.perRun = true
            return user
        }
        return named(name)
    }

    /// The user the steps of run `runID` run as: without an operator's choice, an unprivileged uid and gid of
    /// that run alone (from 2^30 up, which no account uses), so that a step of one run can neither enter
    /// another run's folder nor read what its processes hold open, as `nobody` shared by all could.
    public func forRun(_ runID: String) -> StepUser {
        guard perRun else { return self }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a
        for byte in runID.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        let id = UInt32(1 << 30) + UInt32(truncatingIfNeeded: hash % UInt64(1 << 30))
        return StepUser(name: "the run's own user (uid \(id))", uid: id, gid: id)
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
