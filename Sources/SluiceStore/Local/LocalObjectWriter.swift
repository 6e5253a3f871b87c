import CSluiceSystem
import Foundation
import SluiceCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Writes one object into a private temporary file in the store's `tmp/` folder.
final class LocalObjectWriter: ObjectWriter {
    let path: String
    private let descriptor: Int32
    private var closed = false
    static let earlyWritebackSize: Int64 = 1 << 20

    init(temporaryDirectory: String) throws {
        path = "\(temporaryDirectory)/\(UUID().uuidString.lowercased()).part"
        // Created read-only: the descriptor opened here may still write, nobody else ever can.
        descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o444)
        guard descriptor >= 0 else { throw FileIO.failure("creating", path) }
    }

    deinit { abandon() }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        try FileIO.writeAll(descriptor, bytes, path: path)
    }

    /// Closes the file read-only; flushing to disk is `publish`'s job, so many objects share one flush.
    /// Large objects start their write-back now, so it overlaps with hashing the next chunk.
    func finish(id: ObjectID, size: Int64) throws -> StagedObject {
        if size >= Self.earlyWritebackSize { _ = sluice_start_writeback(descriptor) }
        closed = true
        guard close(descriptor) == 0 else { throw FileIO.failure("closing", path) }
        return StagedObject(id: id, size: size, token: path)
    }

    func abandon() {
        guard !closed else { return }
        closed = true
        close(descriptor)
        unlink(path)
    }
}
