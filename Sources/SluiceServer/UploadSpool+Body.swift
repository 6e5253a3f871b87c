import Foundation
import OpenAPIRuntime
import SluiceCore

extension UploadSpool {
    /// A request's body written to a private file named `name` (a plain file name), for `use`; removed after.
    /// A declared length over the cap is refused before a byte is read, an undeclared one as soon as it passes
    /// the cap, and the principal's spool space is accounted as the bytes arrive.
    func spooled<Result>(
        _ body: HTTPBody?, named name: String, by principal: String, _ use: (URL) async throws -> Result
    ) async throws -> Result {
        guard (1...255).contains(name.utf8.count), !name.contains("/"), !name.hasPrefix(".") else {
            throw BadField(field: "filename", message: "filename must be a plain file name such as orders.csv")
        }
        if case .known(let length)? = body?.length { try admit(declaredLength: length) }
        let folder = try PrivateFile(folder: true)
        var reserved: Int64 = 0
        defer {
            folder.remove()
            release(reserved, for: principal)
        }
        let upload = folder.url.appendingPathComponent(name)
        guard FileManager.default.createFile(atPath: upload.path, contents: nil, attributes: [.posixPermissions: 0o600])
        else { throw InternalError("cannot create a spool file for an upload") }
        let handle = try FileHandle(forWritingTo: upload)
        do {
            for try await chunk in body ?? HTTPBody() {
                try reserve(Int64(chunk.count), soFar: reserved, for: principal)
                reserved += Int64(chunk.count)
                try handle.write(contentsOf: Data(chunk))
            }
            try handle.close()
        } catch {
            try? handle.close()
            throw error
        }
        return try await use(upload)
    }
}
