import Foundation
import SluiceCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Files in local folders, read with `pread` from descriptors opened non-blocking, on blocking threads when read
/// as data.
public struct LocalFileSource: EngineFiles {
    public init() {}

    public func files(matching pattern: String, in folder: URL) -> [URL] {
        let full = pattern.hasPrefix("/") ? pattern : folder.appendingPathComponent(pattern).path
        var result = glob_t()
        defer { globfree(&result) }
        guard glob(full, 0, nil, &result) == 0 else { return [] }
        var urls: [URL] = []
        for index in 0..<Int(result.gl_pathc) {
            guard let pointer = result.gl_pathv[index] else { continue }
            let path = String(cString: pointer)
            var info = stat()
            if stat(path, &info) == 0, info.st_mode & S_IFMT != S_IFDIR { urls.append(URL(fileURLWithPath: path)) }
        }
        return urls.sorted { $0.path < $1.path }
    }

    public func kind(of path: String) -> FileKind? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        switch info.st_mode & S_IFMT {
        case S_IFREG: return .file
        case S_IFDIR: return .directory
        case S_IFLNK: return .link
        default: return .other
        }
    }

    public func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    public func snapshot(of url: URL) throws -> FileSnapshot {
        var info = stat()
        guard stat(url.path, &info) == 0 else {
            throw UsageError("cannot read \(url.path): \(String(cString: strerror(errno)))")
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw UsageError(
                "\(NameRules.quoted(url.path)) is not a regular file (a FIFO, socket, device or folder)",
                hint: "only regular files are ingested; move it out of the landing folder")
        }
        return FileSnapshot(
            size: Int(info.st_size),
            modified: Int64(info.st_mtim.tv_sec) * 1_000_000_000 + Int64(info.st_mtim.tv_nsec))
    }

    public func contents(of url: URL, from offset: Int) -> Data? {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return nil }
        defer { try? handle.close() }
        guard (try? handle.seek(toOffset: UInt64(offset))) != nil else { return nil }
        return try? handle.readToEnd() ?? Data()
    }

    public func read(_ url: URL, range: Range<Int>) async throws -> Data {
        try await Blocking.run {
            let reader = try LocalFileReader(url)
            var data = Data(count: range.count)
            var filled = 0
            try data.withUnsafeMutableBytes { buffer in
                while filled < range.count {
                    let count = try reader.read(
                        into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]), at: range.lowerBound + filled)
                    guard count > 0 else { break }
                    filled += count
                }
            }
            data.count = filled
            return data
        }
    }
}

/// A descriptor opened non-blocking (a file swapped for a FIFO since it was judged must not hang a read) and
/// checked to be a regular file.
final class LocalFileReader {
    private let descriptor: Int32
    private let path: String

    init(_ url: URL) throws {
        path = url.path
        descriptor = open(url.path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
        guard descriptor >= 0 else { throw UsageError("cannot read \(url.path): \(String(cString: strerror(errno)))") }
        var info = stat()
        guard fstat(descriptor, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
            close(descriptor)
            throw UsageError(
                "\(NameRules.quoted(url.path)) is not a regular file", hint: "only regular files are ingested")
        }
    }

    deinit { close(descriptor) }

    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws -> Int {
        while true {
            let count = pread(descriptor, buffer.baseAddress, buffer.count, off_t(offset))
            if count >= 0 { return count }
            guard errno == EINTR else { throw UsageError("cannot read \(path): \(String(cString: strerror(errno)))") }
        }
    }
}
