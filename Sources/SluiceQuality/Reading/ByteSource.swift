import Foundation
import SluiceCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where readers get bytes from: a file, or stored objects. Reads are positioned, so several workers can
/// read different parts of one source at once.
public protocol ByteSource: AnyObject, Sendable {
    /// The total number of bytes.
    var size: Int { get }
    /// Fills up to `buffer.count` bytes from `offset`; 0 means the end.
    func read(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws -> Int
}

extension ByteSource {
    /// Fills `buffer` from `offset` as far as the source goes; returns the count read.
    func readFully(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        var filled = 0
        while filled < buffer.count {
            let count = try read(at: offset + filled, into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]))
            if count == 0 { break }
            filled += count
        }
        return filled
    }
}

extension ByteSource {
    /// Just after the first line break at or after `range.lowerBound - 1`: where the first line that
    /// starts in `range` begins, or `range.upperBound` when none does. `probe` is scratch space.
    func lineStart(in range: Range<Int>, probe: UnsafeMutableRawBufferPointer) throws -> Int {
        var offset = range.lowerBound - 1
        while offset < range.upperBound - 1 {
            let count = try read(
                at: offset,
                into: UnsafeMutableRawBufferPointer(
                    rebasing: probe[0..<min(probe.count, range.upperBound - 1 - offset)]))
            if count == 0 { break }
            if let found = memchr(probe.baseAddress!, Int32(UInt8(ascii: "\n")), count) {
                return offset + probe.baseAddress!.distance(to: UnsafeMutableRawPointer(found)) + 1
            }
            offset += count
        }
        return range.upperBound
    }
}

/// The bytes of another source from an offset on.
final class OffsetByteSource: ByteSource {
    let base: any ByteSource
    let start: Int
    var size: Int { base.size - start }

    init(_ base: any ByteSource, from start: Int) {
        self.base = base
        self.start = start
    }

    func read(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        try base.read(at: start + offset, into: buffer)
    }
}

/// Reads a file.
public final class FileByteSource: ByteSource {
    private let descriptor: Int32
    public let path: String
    public let size: Int

    public init(url: URL) throws {
        path = url.path
        descriptor = open(url.path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw UsageError("cannot read \(url.path): \(String(cString: strerror(errno)))") }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            close(descriptor)
            throw UsageError("cannot read \(url.path): \(String(cString: strerror(errno)))")
        }
        size = Int(info.st_size)
    }

    deinit { close(descriptor) }

    public func read(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            let count = pread(descriptor, buffer.baseAddress, buffer.count, off_t(offset))
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { throw UsageError("cannot read \(path): \(String(cString: strerror(errno)))") }
            return count
        }
    }
}

/// Pieces of data read as if they were one file (a stored file's chunks).
public final class DataByteSource: ByteSource {
    private let pieces: [Data]
    /// Where each piece starts.
    private let offsets: [Int]
    public let size: Int

    public init(_ pieces: [Data]) {
        self.pieces = pieces
        var offsets: [Int] = []
        var total = 0
        for piece in pieces {
            offsets.append(total)
            total += piece.count
        }
        self.offsets = offsets
        size = total
    }

    public func read(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard offset < size, !buffer.isEmpty else { return 0 }
        // The last piece starting at or before `offset`.
        var low = 0
        var high = offsets.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if offsets[middle] <= offset { low = middle } else { high = middle - 1 }
        }
        var piece = low
        var copied = 0
        while copied < buffer.count && piece < pieces.count {
            let within = offset + copied - offsets[piece]
            let count = min(pieces[piece].count - within, buffer.count - copied)
            if count > 0 {
                pieces[piece].withUnsafeBytes { bytes in
                    (buffer.baseAddress! + copied).copyMemory(from: bytes.baseAddress! + within, byteCount: count)
                }
                copied += count
            }
            piece += 1
        }
        return copied
    }
}
