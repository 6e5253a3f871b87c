import Crypto
import Foundation
import SluiceCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Objects as read-only files under `objects/ab/abcdef…` named by their SHA-256. Every object is written
/// to `tmp/`, flushed to disk, then renamed into place, so a crash leaves either nothing or a whole object.
public struct LocalObjectStore: ObjectStore {
    public let root: URL
    var objectsPath: String { root.appendingPathComponent("objects").path }
    var temporaryPath: String { root.appendingPathComponent("tmp").path }
    /// Above this many objects, one file-system flush is cheaper than one flush per file.
    static let batchFlushThreshold = 8

    /// Opens (creating if needed) an object store in `root`.
    public init(root: URL) throws {
        self.root = root
        try FileIO.makeDirectory(root.path)
        try FileIO.makeDirectory(root.appendingPathComponent("objects").path)
        try FileIO.makeDirectory(root.appendingPathComponent("tmp").path)
    }

    func path(of id: ObjectID) -> String {
        "\(objectsPath)/\(id.hex.prefix(2))/\(id.hex.dropFirst(2))"
    }

    public func makeWriter() throws -> any ObjectWriter {
        try LocalObjectWriter(temporaryDirectory: temporaryPath)
    }

    /// Flushes the staged files, renames them into place, then flushes the renames: one `syncfs` for each
    /// half when the batch is large, an `fsync` per file and folder when it is small.
    public func publish(_ staged: [StagedObject]) async throws {
        try await Blocking.run { try publishNow(staged) }
    }

    private func publishNow(_ staged: [StagedObject]) throws {
        guard !staged.isEmpty else { return }
        let batch = staged.count > Self.batchFlushThreshold
        if batch {
            try FileIO.flushFileSystem(containing: temporaryPath, files: staged.map(\.token))
        } else {
            for object in staged { try FileIO.fsyncPath(object.token) }
        }
        var shards = Set<String>()
        var newShard = false
        for object in staged {
            let shard = "\(objectsPath)/\(object.id.hex.prefix(2))"
            if shards.insert(shard).inserted && !FileIO.exists(shard) {
                try FileIO.makeDirectory(shard)
                newShard = true
            }
        }
        try withObjectsLock(exclusive: false) {
            for object in staged {
                // Written now, whenever it was staged: a collection judging the object before this publish
                // leaves it alone. Renaming over an object already there replaces it with identical bytes:
                // deduplication without a lookup, and readers of the old file keep reading it.
                let target = path(of: object.id)
                guard utimensat(AT_FDCWD, object.token, nil, 0) == 0, rename(object.token, target) == 0 else {
                    throw FileIO.failure("moving an object into", target)
                }
            }
        }
        if batch {
            try FileIO.flushFileSystem(containing: objectsPath, files: [])
        } else {
            for shard in shards { try FileIO.fsyncPath(shard, directory: true) }
            if newShard { try FileIO.fsyncPath(objectsPath, directory: true) }
        }
    }

    public func sweepStaging(writtenBefore cutoff: Timestamp, dryRun: Bool) async throws -> (files: Int, bytes: Int64) {
        try await Blocking.run { sweepStagingNow(writtenBefore: cutoff, dryRun: dryRun) }
    }

    private func sweepStagingNow(writtenBefore cutoff: Timestamp, dryRun: Bool) -> (files: Int, bytes: Int64) {
        var files = 0
        var bytes: Int64 = 0
        for name in (try? FileManager.default.contentsOfDirectory(atPath: temporaryPath)) ?? [] {
            let path = "\(temporaryPath)/\(name)"
            var info = stat()
            guard lstat(path, &info) == 0, info.st_mode & S_IFMT == S_IFREG,
                Self.milliseconds(info.st_mtim) < cutoff.milliseconds
            else { continue }
            guard dryRun || unlink(path) == 0 else { continue }
            files += 1
            bytes += Int64(info.st_size)
        }
        return (files, bytes)
    }

    public func storedContent(_ id: ObjectID) async throws -> ByteSegment {
        guard FileIO.exists(path(of: id)) else {
            throw InternalError("object \(id.short) is missing from \(objectsPath); run sluice verify")
        }
        return .file(URL(fileURLWithPath: path(of: id)))
    }

    public func stagedContent(_ staged: StagedObject) throws -> ByteSegment {
        .file(URL(fileURLWithPath: staged.token))
    }

    public func discard(_ staged: [StagedObject]) async {
        for object in staged { unlink(object.token) }
    }

    public func put(_ data: Data) async throws -> ObjectID {
        try await Blocking.run { try putNow(data) }
    }

    private func putNow(_ data: Data) throws -> ObjectID {
        let id = ObjectID.hashing(data)
        // Already there: mark it written now, so a collection that started earlier leaves it alone.
        if try withObjectsLock(exclusive: false, { utimensat(AT_FDCWD, path(of: id), nil, 0) == 0 }) { return id }
        let writer = try makeWriter()
        do {
            try data.withUnsafeBytes { try writer.write($0) }
            try publishNow([try writer.finish(id: id, size: Int64(data.count))])
        } catch {
            writer.abandon()
            throw error
        }
        return id
    }

    public func contains(_ id: ObjectID) async throws -> Bool {
        FileIO.exists(path(of: id))
    }

    public func size(of id: ObjectID) async throws -> Int64? {
        FileIO.size(path(of: id))
    }

    public func read(_ id: ObjectID) async throws -> Data {
        try await Blocking.run {
            guard let data = FileManager.default.contents(atPath: path(of: id)) else {
                throw InternalError("object \(id.short) is missing from \(objectsPath); run sluice verify")
            }
            return data
        }
    }

    public func stream(_ id: ObjectID, chunk: (UnsafeRawBufferPointer) throws -> Void) async throws {
        try await Blocking.run { try streamNow(id, chunk: chunk) }
    }

    private func streamNow(_ id: ObjectID, chunk: (UnsafeRawBufferPointer) throws -> Void) throws {
        let file = path(of: id)
        let descriptor = open(file, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw InternalError("object \(id.short) is missing from \(objectsPath); run sluice verify")
        }
        defer { close(descriptor) }
        let size = 1 << 20
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 64)
        defer { buffer.deallocate() }
        while true {
            let count = Glibc.read(descriptor, buffer.baseAddress, size)
            if count < 0 {
                if errno == EINTR { continue }
                throw FileIO.failure("reading", file)
            }
            if count == 0 { return }
            try chunk(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
        }
    }

    public func allObjects() async throws -> [ObjectID] {
        try await Blocking.run { try allObjectsNow() }
    }

    private func allObjectsNow() throws -> [ObjectID] {
        let manager = FileManager.default
        var ids: [ObjectID] = []
        for shard in try manager.contentsOfDirectory(atPath: objectsPath) where shard.count == 2 {
            for rest in (try? manager.contentsOfDirectory(atPath: "\(objectsPath)/\(shard)")) ?? [] {
                if let id = ObjectID(hex: shard + rest) { ids.append(id) }
            }
        }
        return ids.sorted()
    }

    public func inventory() async throws -> [StoredObject] {
        try await Blocking.run { try inventoryNow() }
    }

    private func inventoryNow() throws -> [StoredObject] {
        let manager = FileManager.default
        var objects: [StoredObject] = []
        for shard in try manager.contentsOfDirectory(atPath: objectsPath) where shard.count == 2 {
            let folder = "\(objectsPath)/\(shard)"
            for rest in (try? manager.contentsOfDirectory(atPath: folder)) ?? [] {
                guard let id = ObjectID(hex: shard + rest) else { continue }
                var info = stat()
                guard stat("\(folder)/\(rest)", &info) == 0 else { continue }  // deleted meanwhile
                objects.append(
                    StoredObject(
                        id: id, bytes: Int64(info.st_size),
                        writtenAt: Timestamp(milliseconds: Self.milliseconds(info.st_mtim))))
            }
        }
        return objects.sorted { $0.id < $1.id }
    }

    public func delete(_ ids: [ObjectID], writtenBefore cutoff: Timestamp) async throws -> Set<ObjectID> {
        try await Blocking.run { try deleteNow(ids, writtenBefore: cutoff) }
    }

    private func deleteNow(_ ids: [ObjectID], writtenBefore cutoff: Timestamp) throws -> Set<ObjectID> {
        try withObjectsLock(exclusive: true) {
            var deleted = Set<ObjectID>()
            for id in ids {
                var info = stat()
                guard stat(path(of: id), &info) == 0 else { continue }
                guard Self.milliseconds(info.st_mtim) <= cutoff.milliseconds else { continue }  // published again
                guard unlink(path(of: id)) == 0 || errno == ENOENT else {
                    throw FileIO.failure("deleting", path(of: id))
                }
                deleted.insert(id)
            }
            return deleted
        }
    }

    /// Publishing and putting hold this lock shared, the collector's deletions exclusive: a deletion's
    /// check of when an object was written and its unlink cannot interleave with a publish of the object.
    func withObjectsLock<T>(exclusive: Bool, _ body: () throws -> T) throws -> T {
        let descriptor = open("\(root.path)/objects.lock", O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw FileIO.failure("opening", "\(root.path)/objects.lock") }
        defer { close(descriptor) }
        while flock(descriptor, exclusive ? LOCK_EX : LOCK_SH) != 0 {
            guard errno == EINTR else { throw FileIO.failure("locking", "\(root.path)/objects.lock") }
        }
        return try body()
    }

    static func milliseconds(_ time: timespec) -> Int64 {
        Int64(time.tv_sec) * 1000 + Int64(time.tv_nsec) / 1_000_000
    }

    public func verify(_ id: ObjectID) async throws -> Bool {
        try await Blocking.run {
            var hasher = SHA256()
            do {
                try streamNow(id) { hasher.update(bufferPointer: $0) }
            } catch {
                return false
            }
            return ObjectID(digest: hasher.finalize()) == id
        }
    }
}
