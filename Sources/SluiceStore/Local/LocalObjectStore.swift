import Foundation
import SluiceCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Objects as read-only files under `objects/ab/abcdef…` named by their SHA-256. Every object is written
/// to `tmp/`, flushed to disk, then renamed into place, so a crash leaves either nothing or a whole object.
public struct LocalObjectStore: ObjectStore, LocalObjectFiles {
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
        for object in staged {
            // Renaming over an object already there replaces it with identical bytes: deduplication without a
            // lookup, and readers of the old file keep reading it.
            let target = path(of: object.id)
            guard rename(object.token, target) == 0 else { throw FileIO.failure("moving an object into", target) }
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

    public func read(_ id: ObjectID, range: Range<Int64>?) -> ObjectBytes {
        FileChunks.stream(
            path(of: id), range: range,
            missing: "object \(id.short) is missing from \(objectsPath); run sluice verify")
    }

    public func readStaged(_ staged: StagedObject, range: Range<Int64>?) -> ObjectBytes {
        FileChunks.stream(
            staged.token, range: range, missing: "staged object \(staged.id.short) is gone from \(temporaryPath)")
    }

    public func localFile(of id: ObjectID) -> URL? {
        FileIO.exists(path(of: id)) ? URL(fileURLWithPath: path(of: id)) : nil
    }

    public func localFile(ofStaged staged: StagedObject) -> URL? {
        URL(fileURLWithPath: staged.token)
    }

    public func discard(_ staged: [StagedObject]) async {
        for object in staged { unlink(object.token) }
    }

    public func contains(_ id: ObjectID) async throws -> Bool {
        FileIO.exists(path(of: id))
    }

    public func size(of id: ObjectID) async throws -> Int64? {
        FileIO.size(path(of: id))
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
                guard let size = FileIO.size("\(folder)/\(rest)") else { continue }  // deleted meanwhile
                objects.append(StoredObject(id: id, bytes: size))
            }
        }
        return objects.sorted { $0.id < $1.id }
    }

    public func delete(_ ids: [ObjectID]) async throws -> Set<ObjectID> {
        try await Blocking.run {
            var deleted = Set<ObjectID>()
            for id in ids {
                guard unlink(path(of: id)) == 0 else {
                    guard errno == ENOENT else { throw FileIO.failure("deleting", path(of: id)) }
                    continue
                }
                deleted.insert(id)
            }
            return deleted
        }
    }

    static func milliseconds(_ time: timespec) -> Int64 {
        Int64(time.tv_sec) * 1000 + Int64(time.tv_nsec) / 1_000_000
    }
}
