import Foundation
import SluiceCore

/// A file (or folder) in the temporary directory only the service's user can read, for spooled downloads
/// and uploads; its owner removes it.
struct PrivateFile: Sendable {
    let url: URL

    init(folder: Bool = false) throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("sluice-spool-\(UUID().uuidString)")
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
}
