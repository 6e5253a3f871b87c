import Foundation

/// The files the engine reads that are not in its stores — a source's landing files, files named on the
/// command line, the outputs a step wrote — found, judged and read through this port. `LocalFileSource` reads a
/// local folder; a landing prefix in an object store can be another.
public protocol FileSource: Sendable {
    /// The files `pattern` (a glob, relative to `folder` unless absolute) names, folders left out, by path.
    func files(matching pattern: String, in folder: URL) -> [URL]
    /// What is at `path`, a last link not followed; nil when nothing is.
    func kind(of path: String) -> FileKind?
    /// Where `path` really is, every link resolved; nil when it cannot be resolved.
    func realPath(_ path: String) -> String?
    /// Size and modification time of the regular file at `url`; an error naming it for anything else.
    func snapshot(of url: URL) throws -> FileSnapshot
    /// The bytes of the file at `url` from `offset` on; nil when there is no file (yet).
    func contents(of url: URL, from offset: Int) -> Data?
    /// Opens the regular file at `url` to read pieces of it; an error for anything else (never blocking on a
    /// FIFO put in its place).
    func openForReading(_ url: URL) throws -> any FileReader
}

extension FileSource {
    /// What is at `path` once a last link is followed.
    public func kindFollowingLinks(of path: String) -> FileKind? {
        let kind = kind(of: path)
        return kind == .link ? realPath(path).flatMap { self.kind(of: $0) } : kind
    }
}

/// What a path holds.
public enum FileKind: Sendable, Equatable {
    case file, directory, link, other
}

/// An open file, read in pieces at given offsets; closed when released.
public protocol FileReader: AnyObject {
    /// Reads up to `buffer.count` bytes at `offset`; 0 at the end of the file.
    func read(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) throws -> Int
}

/// Size and modification time, to notice a file that changes while it is read.
public struct FileSnapshot: Equatable, Sendable {
    public var size: Int
    /// Nanoseconds since 1970.
    public var modified: Int64

    public init(size: Int, modified: Int64) {
        self.size = size
        self.modified = modified
    }
}
