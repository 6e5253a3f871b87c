import Crypto
import Foundation

/// Copies files into the object store in one pass each: read, hash, count records, stage. Files are
/// processed in parallel (one per core); objects become visible only when `publish` makes them durable.
public struct Snapshotter: Sendable {
    public let objects: any ObjectStore
    public let parallelism: Int
    static let chunkSize = 4 << 20

    public init(objects: any ObjectStore, parallelism: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.objects = objects
        self.parallelism = max(1, parallelism)
    }

    /// One file to snapshot and the name it gets in the manifest.
    public struct Input: Sendable {
        public var url: URL
        public var name: String

        public init(url: URL, name: String) {
            self.url = url
            self.name = name
        }
    }

    public struct Result: Sendable {
        public var files: [ManifestFile]
        public var staged: [StagedObject]
        public var schema: [String]
    }

    /// Stages every file and returns the manifest entries in input order. Nothing is visible yet.
    public func stage(_ inputs: [Input], format: DataFormat, delimiter: UInt8) async throws -> Result {
        var results = [(ManifestFile, StagedObject, [String])?](repeating: nil, count: inputs.count)
        try await withThrowingTaskGroup(of: (Int, ManifestFile, StagedObject, [String]).self) { group in
            var next = 0
            func addTask() {
                let index = next
                let input = inputs[index]
                group.addTask {
                    let (file, staged, schema) = try stageOne(input, format: format, delimiter: delimiter)
                    return (index, file, staged, schema)
                }
                next += 1
            }
            while next < inputs.count && next < parallelism { addTask() }
            for try await (index, file, staged, schema) in group {
                results[index] = (file, staged, schema)
                if next < inputs.count { addTask() }
            }
        }
        let done = results.compactMap { $0 }
        let schema = done.first { !$0.2.isEmpty }?.2 ?? []
        return Result(files: done.map(\.0), staged: done.map(\.1), schema: schema)
    }

    func stageOne(_ input: Input, format: DataFormat, delimiter: UInt8) throws -> (ManifestFile, StagedObject, [String])
    {
        let descriptor = open(input.url.path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            throw UsageError("cannot read \(input.url.path): \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        let writer = try objects.makeWriter()
        var hasher = SHA256()
        var counter = RecordCounter(format: format, delimiter: delimiter)
        var size: Int64 = 0
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.chunkSize, alignment: 64)
        defer { buffer.deallocate() }
        do {
            while true {
                let count = read(descriptor, buffer.baseAddress, Self.chunkSize)
                if count < 0 {
                    if errno == EINTR { continue }
                    throw UsageError("cannot read \(input.url.path): \(String(cString: strerror(errno)))")
                }
                if count == 0 { break }
                let chunk = UnsafeRawBufferPointer(rebasing: buffer[0..<count])
                try writer.write(chunk)
                hasher.update(bufferPointer: chunk)
                counter.consume(chunk)
                size += Int64(count)
            }
            let id = ObjectID(digest: hasher.finalize())
            let staged = try writer.finish(id: id, size: size)
            return (ManifestFile(name: input.name, object: id, bytes: size, rows: counter.rows), staged, counter.schema)
        } catch {
            writer.abandon()
            throw error
        }
    }
}
