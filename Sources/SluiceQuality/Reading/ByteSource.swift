import Foundation
import SluiceCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where readers get bytes from: a file, or stored objects.
public protocol ByteSource: AnyObject {
    /// Fills up to `buffer.count` bytes; 0 means the end.
    func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int
}

/// Reads a file from the start.
public final class FileByteSource: ByteSource {
    private let descriptor: Int32
    public let path: String

    public init(url: URL) throws {
        path = url.path
        descriptor = open(url.path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw UsageError("cannot read \(url.path): \(String(cString: strerror(errno)))") }
    }

    deinit { close(descriptor) }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            let count = Glibc.read(descriptor, buffer.baseAddress, buffer.count)
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { throw UsageError("cannot read \(path): \(String(cString: strerror(errno)))") }
            return count
        }
    }
}

/// Reads pieces of data in order, as if they were one file (a stored file's chunks).
public final class DataByteSource: ByteSource {
    private var pieces: [Data]
    private var offset = 0

    public init(_ pieces: [Data]) {
        self.pieces = pieces.reversed()
    }

    public func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while let current = pieces.last {
            let remaining = current.count - offset
            if remaining == 0 {
                pieces.removeLast()
                offset = 0
                continue
            }
            let count = min(remaining, buffer.count)
            current.withUnsafeBytes { bytes in
                buffer.baseAddress!.copyMemory(from: bytes.baseAddress! + offset, byteCount: count)
            }
            offset += count
            return count
        }
        return 0
    }
}
