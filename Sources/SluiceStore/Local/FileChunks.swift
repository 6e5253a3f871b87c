import Foundation
import SluiceCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file's bytes, or a range of them, read a megabyte at a time on a blocking thread as the consumer asks
/// for them; the file is opened at the first read and closed when the stream is let go.
final class FileChunks: @unchecked Sendable {
    // Used by one consumer at a time: a stream's iterator asks for the next chunk only after the last.
    private let path: String
    private let missing: String
    private var descriptor: Int32 = -1
    private var position: Int64
    private let end: Int64
    static let chunkSize = 1 << 20

    private init(path: String, range: Range<Int64>?, missing: String) {
        self.path = path
        self.missing = missing
        position = max(0, range?.lowerBound ?? 0)
        end = range?.upperBound ?? .max
    }

    deinit {
        if descriptor >= 0 { close(descriptor) }
    }

    /// The chunks of `path` (of `range` of it; a range past the end stops at the end); `missing` is the
    /// error when there is no file.
    static func stream(_ path: String, range: Range<Int64>?, missing: String) -> ObjectBytes {
        let reader = FileChunks(path: path, range: range, missing: missing)
        return ObjectBytes { try await Blocking.run { try reader.next() } }
    }

    private func next() throws -> Data? {
        if descriptor < 0 {
            descriptor = open(path, O_RDONLY | O_CLOEXEC)
            guard descriptor >= 0 else {
                throw errno == ENOENT ? InternalError(missing) : FileIO.failure("reading", path)
            }
        }
        guard position < end else { return nil }
        let wanted = Int(min(Int64(Self.chunkSize), end - position))
        var data = Data(count: wanted)
        let count = try data.withUnsafeMutableBytes { buffer in
            while true {
                let count = pread(descriptor, buffer.baseAddress, wanted, off_t(position))
                if count >= 0 { return count }
                guard errno == EINTR else { throw FileIO.failure("reading", path) }
            }
        }
        guard count > 0 else { return nil }
        position += Int64(count)
        data.count = count
        return data
    }
}
