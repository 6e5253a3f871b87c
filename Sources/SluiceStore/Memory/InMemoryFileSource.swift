import Foundation
import SluiceCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Files held in memory under absolute paths, no links: the in-memory twin of `LocalFileSource`, for tests
/// (and proof that the engine reads landing data through the port alone).
public final class InMemoryFileSource: EngineFiles, @unchecked Sendable {
    private let lock = NSLock()
    private var contents: [String: (data: Data, modified: Int64)] = [:]

    public init() {}

    /// Puts a file at the absolute `path`.
    public func write(_ path: String, _ data: Data, modified: Int64 = 0) {
        lock.withLock { contents[path] = (data, modified) }
    }

    public func files(matching pattern: String, in folder: URL) -> [URL] {
        let full = pattern.hasPrefix("/") ? pattern : folder.appendingPathComponent(pattern).path
        let paths = lock.withLock { Array(contents.keys) }
        return paths.filter { fnmatch(full, $0, FNM_PATHNAME) == 0 }.sorted().map { URL(fileURLWithPath: $0) }
    }

    public func kind(of path: String) -> FileKind? {
        lock.withLock {
            if contents[path] != nil { return .file }
            return contents.keys.contains { $0.hasPrefix(path.hasSuffix("/") ? path : path + "/") } ? .directory : nil
        }
    }

    public func realPath(_ path: String) -> String? {
        let standard = URL(fileURLWithPath: path).standardizedFileURL.path
        return kind(of: standard) == nil ? nil : standard
    }

    public func snapshot(of url: URL) throws -> FileSnapshot {
        guard let file = lock.withLock({ contents[url.path] }) else {
            throw UsageError("cannot read \(url.path): no such file")
        }
        return FileSnapshot(size: file.data.count, modified: file.modified)
    }

    public func contents(of url: URL, from offset: Int) -> Data? {
        guard let data = lock.withLock({ contents[url.path]?.data }) else { return nil }
        return offset < data.count ? data.subdata(in: offset..<data.count) : Data()
    }

    public func read(_ url: URL, range: Range<Int>) async throws -> Data {
        guard let data = lock.withLock({ contents[url.path]?.data }) else {
            throw UsageError("cannot read \(url.path): no such file")
        }
        let end = min(range.upperBound, data.count)
        return range.lowerBound < end ? data.subdata(in: range.lowerBound..<end) : Data()
    }
}
