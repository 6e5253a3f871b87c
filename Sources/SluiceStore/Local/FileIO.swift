import CSluiceSystem
import Foundation
import SluiceCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Thin, error-checked wrappers over POSIX file calls used by the local store.
enum FileIO {
    static func failure(_ what: String, _ path: String) -> any SluiceError {
        if errno == ENOSPC || errno == EDQUOT { return StorageFull("\(what) \(path)") }
        return InternalError("\(what) \(path) failed: \(String(cString: strerror(errno)))")
    }

    static func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer, path: String) throws {
        var offset = 0
        while offset < bytes.count {
            let written = write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                throw failure("writing", path)
            }
            offset += written
        }
    }

    static func fsyncPath(_ path: String, directory: Bool = false) throws {
        let descriptor = open(path, (directory ? O_RDONLY | O_DIRECTORY : O_RDONLY) | O_CLOEXEC)
        guard descriptor >= 0 else { throw failure("opening", path) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw failure("flushing", path) }
    }

    /// Flushes every file of the file system holding `path` in one call (Linux `syncfs`), else each file.
    static func flushFileSystem(containing path: String, files: [String]) throws {
        #if os(Linux)
            let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
            guard descriptor >= 0 else { throw failure("opening", path) }
            defer { close(descriptor) }
            guard sluice_syncfs(descriptor) == 0 else { throw failure("flushing the file system of", path) }
        #else
            for file in files { try fsyncPath(file) }
        #endif
    }

    static func makeDirectory(_ path: String) throws {
        if mkdir(path, 0o755) != 0 && errno != EEXIST { throw failure("creating folder", path) }
    }

    static func exists(_ path: String) -> Bool {
        var info = stat()
        return stat(path, &info) == 0
    }

    static func size(_ path: String) -> Int64? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        return Int64(info.st_size)
    }
}
