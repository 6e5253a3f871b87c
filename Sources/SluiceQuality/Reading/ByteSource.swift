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
        // Non-blocking, and only regular files: a FIFO would otherwise hang the reader.
        descriptor = open(url.path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else { throw UsageError("cannot read \(url.path): \(String(cString: strerror(errno)))") }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else {
            close(descriptor)
            throw UsageError("cannot read \(url.path): \(String(cString: strerror(errno)))")
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            close(descriptor)
            throw UsageError("\(NameRules.quoted(url.path)) is not a regular file", hint: "only regular files are read")
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

/// Several sources read as if they were one file: a stored file's chunks, in memory or staged on disk.
public final class ConcatenatedByteSource: ByteSource {
    private let parts: [any ByteSource]
    /// Where each part starts.
    private let offsets: [Int]
    public let size: Int

    public init(_ parts: [any ByteSource]) {
        self.parts = parts
        var offsets: [Int] = []
        var total = 0
        for part in parts {
            offsets.append(total)
            total += part.size
        }
        self.offsets = offsets
        size = total
    }

    /// Pieces of data in memory.
    public convenience init(_ pieces: [Data]) {
        self.init(pieces.map { MemoryByteSource($0) })
    }

    /// The bytes a gate reads for one file: staged files and in-memory bytes, in order.
    public convenience init(_ segments: [ByteSegment]) throws {
        self.init(
            try segments.map { segment -> any ByteSource in
                switch segment {
                case .file(let url): return try FileByteSource(url: url)
                case .bytes(let data): return MemoryByteSource(data)
                }
            })
    }

    public func read(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard offset < size, !buffer.isEmpty else { return 0 }
        // The last part starting at or before `offset`.
        var low = 0
        var high = offsets.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if offsets[middle] <= offset { low = middle } else { high = middle - 1 }
        }
        var part = low
        var copied = 0
        while copied < buffer.count && part < parts.count {
            let within = offset + copied - offsets[part]
            let wanted = min(parts[part].size - within, buffer.count - copied)
            if wanted > 0 {
                let count = try parts[part].readFully(
                    at: within, into: UnsafeMutableRawBufferPointer(rebasing: buffer[copied..<(copied + wanted)]))
                copied += count
                // A part shorter than it said (a file cut meanwhile) ends the source there.
                if count < wanted { break }
            }
            part += 1
        }
        return copied
    }
}

/// Bytes in memory.
final class MemoryByteSource: ByteSource {
    private let data: Data
    var size: Int { data.count }

    init(_ data: Data) {
        self.data = data
    }

    func read(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard offset < data.count else { return 0 }
        let count = min(buffer.count, data.count - offset)
        data.withUnsafeBytes { bytes in
            buffer.baseAddress!.copyMemory(from: bytes.baseAddress! + offset, byteCount: count)
        }
        return count
    }
}

/// Bytes already in memory (a sample of a version, a test's data).
public final class DataByteSource: ByteSource {
    private let data: Data
    public var size: Int { data.count }

    public init(_ data: Data) { self.data = data }

    public func read(at offset: Int, into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        guard offset < data.count else { return 0 }
        let count = min(buffer.count, data.count - offset)
        data.withUnsafeBytes { bytes in
            buffer.baseAddress!.copyMemory(from: bytes.baseAddress! + offset, byteCount: count)
        }
        return count
    }
}
