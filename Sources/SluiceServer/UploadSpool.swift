import Foundation
import SluiceCore

/// Limits on what uploads may spool to the service's disk before the engine reads them: each upload at most
/// `maxUploadBytes` (413 beyond, from `Content-Length` before a byte is read, else as the bytes arrive), and
/// each principal's uploads in flight together at most `maxPerPrincipalBytes` (429 beyond), so one caller
/// cannot fill the disk.
public final class UploadSpool: @unchecked Sendable {
    public let maxUploadBytes: Int64
    public let maxPerPrincipalBytes: Int64
    private let lock = NSLock()
    private var inFlight: [String: Int64] = [:]  // guarded by lock

    public init(maxUploadBytes: Int64 = 1 << 30, maxPerPrincipalBytes: Int64? = nil) {
        self.maxUploadBytes = maxUploadBytes
        self.maxPerPrincipalBytes = maxPerPrincipalBytes ?? maxUploadBytes * 2
    }

    /// Refuses a declared length over the limit before anything is read.
    public func admit(declaredLength: Int64?) throws {
        if let declaredLength, declaredLength > maxUploadBytes {
            throw ServiceBusy.tooLarge("the upload (Content-Length \(declaredLength))", limit: maxUploadBytes)
        }
    }

    /// Accounts `count` more bytes of one upload (`soFar` before them) to `principal`; throws past either limit.
    public func reserve(_ count: Int64, soFar: Int64, for principal: String) throws {
        guard soFar + count <= maxUploadBytes else {
            throw ServiceBusy.tooLarge("the upload", limit: maxUploadBytes)
        }
        let granted = lock.withLock { () -> Bool in
            let total = (inFlight[principal] ?? 0) + count
            guard total <= maxPerPrincipalBytes else { return false }
            inFlight[principal] = total
            return true
        }
        guard granted else {
            throw ServiceBusy.rateLimited(
                "\(principal)'s uploads in flight would hold more than \(maxPerPrincipalBytes) bytes; wait for one to finish",
                retryAfter: 5)
        }
    }

    /// Gives back what an upload reserved, once its spool file is gone.
    public func release(_ count: Int64, for principal: String) {
        lock.withLock {
            let left = (inFlight[principal] ?? 0) - count
            inFlight[principal] = left > 0 ? left : nil
        }
    }
}
