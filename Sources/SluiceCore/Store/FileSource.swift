import Foundation

/// Where data files come from — a source's landing files, files named on the command line or uploaded — found,
/// judged and read through this port, asynchronously, so that a landing prefix in an object store can be one as
/// well as a local folder (`LocalFileSource`). Reads are ranged: no descriptor or handle crosses the port.
public protocol FileSource: Sendable {
    /// The files `pattern` (a glob, relative to `folder` unless absolute) names, folders left out, by path.
    func files(matching pattern: String, in folder: URL) async throws -> [URL]
    /// What is at `path`, a last link not followed; nil when nothing is.
    func kind(of path: String) async -> FileKind?
    /// Where `path` really is, every link resolved; nil when it cannot be resolved.
    func realPath(_ path: String) async -> String?
    /// Size and modification time of the regular file at `url`; an error naming it for anything else.
    func snapshot(of url: URL) async throws -> FileSnapshot
    /// The bytes of `range` of the regular file at `url` (fewer at its end); an error for anything else,
    /// never blocking on a FIFO put in its place.
    func read(_ url: URL, range: Range<Int>) async throws -> Data
}

/// The project's own files — the work tree it was loaded from, always on this machine — read synchronously
/// while a project loads and a step's code is hashed.
public protocol ProjectFileReader: Sendable {
    /// The files `pattern` (a glob, relative to `folder` unless absolute) names, folders left out, by path.
    func files(matching pattern: String, in folder: URL) -> [URL]
    /// What is at `path`, a last link not followed; nil when nothing is.
    func kind(of path: String) -> FileKind?
    /// Where `path` really is, every link resolved; nil when it cannot be resolved.
    func realPath(_ path: String) -> String?
    /// The bytes of the file at `url` from `offset` on; nil when there is no file (yet).
    func contents(of url: URL, from offset: Int) -> Data?
}

/// Both: what the engine is given, so that it reads landing data asynchronously and its project in place.
public typealias EngineFiles = FileSource & ProjectFileReader

extension ProjectFileReader {
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
