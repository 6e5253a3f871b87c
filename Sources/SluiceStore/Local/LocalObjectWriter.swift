import Dispatch
import Foundation
import SluiceCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes one object into a private temporary file. Large chunks are written on a background queue while
/// the caller reads and hashes the next one, so copying and hashing overlap on two cores.
final class LocalObjectWriter: ObjectWriter, @unchecked Sendable {
    let path: String
    private let descriptor: Int32
    private let queue = DispatchQueue(label: "sluice.object-writer")
    private let inFlight = DispatchSemaphore(value: 2)
    private let lock = NSLock()
    private var failure: Error?
    private var closed = false
    static let asyncThreshold = 1 << 20

    init(temporaryDirectory: String) throws {
        path = "\(temporaryDirectory)/\(UUID().uuidString.lowercased()).part"
        descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw FileIO.failure("creating", path) }
    }

    deinit {
        if !closed {
            close(descriptor)
            unlink(path)
        }
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        try throwIfFailed()
        guard bytes.count >= Self.asyncThreshold else {
            try queue.sync { try FileIO.writeAll(descriptor, bytes, path: path) }
            return
        }
        let copy = Data(bytes)
        inFlight.wait()
        queue.async { [self] in
            defer { inFlight.signal() }
            guard currentFailure == nil else { return }
            do {
                try copy.withUnsafeBytes { try FileIO.writeAll(descriptor, $0, path: path) }
            } catch {
                lock.withLock { failure = error }
            }
        }
    }

    func finish(id: ObjectID, size: Int64) throws -> StagedObject {
        queue.sync {}
        try throwIfFailed()
        fchmod(descriptor, 0o444)
        closed = true
        guard close(descriptor) == 0 else { throw FileIO.failure("closing", path) }
        return StagedObject(id: id, size: size, token: path)
    }

    func abandon() {
        queue.sync {}
        guard !closed else { return }
        closed = true
        close(descriptor)
        unlink(path)
    }

    private var currentFailure: Error? { lock.withLock { failure } }

    private func throwIfFailed() throws {
        if let error = currentFailure { throw error }
    }
}
