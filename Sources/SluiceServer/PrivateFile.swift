import Foundation
import SluiceCore

/// A file (or folder) in the temporary directory only the service's user can read, for spooled downloads
/// and uploads; its owner removes it. Its name carries the service's pid, so that a service starting after a
/// killed one removes what that one left (`sweepLeftovers`).
struct PrivateFile: Sendable {
    static let prefix = "sluice-spool-"
    let url: URL

    init(folder: Bool = false) throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "\(Self.prefix)\(getpid())-\(UUID().uuidString)")
        let created: Bool
        if folder {
            created =
                (try? FileManager.default.createDirectory(
                    at: url, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])) != nil
        } else {
            created = FileManager.default.createFile(
                atPath: url.path, contents: nil, attributes: [.posixPermissions: 0o600])
        }
        guard created else { throw InternalError("cannot create \(url.path) to spool a transfer") }
    }

    func remove() { try? FileManager.default.removeItem(at: url) }

    /// Removes the spool files and folders of services that are no longer running (their pid is gone); those
    /// of a live process, this one's included, stay. Returns what it removed.
    @discardableResult
    static func sweepLeftovers(in folder: URL = FileManager.default.temporaryDirectory) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { name in
            guard name.hasPrefix(prefix), let pid = Int32(name.dropFirst(prefix.count).prefix { $0 != "-" }),
                pid > 0, kill(pid, 0) != 0, errno == ESRCH
            else { return false }
            return (try? FileManager.default.removeItem(at: folder.appendingPathComponent(name))) != nil
        }
    }
}
