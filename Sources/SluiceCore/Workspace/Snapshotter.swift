import Crypto
import Foundation

/// Copies files into the object store in one pass over their bytes: read, hash, count records, stage.
/// Files are cut into chunks that the cores take in turn, so one large file uses every core as well as
/// many small ones do. Objects become visible only when `ObjectStore.publish` makes them durable.
public struct Snapshotter: Sendable {
    public let objects: any ObjectStore
    /// Where the files are read from.
    public let files: any FileSource
    public let parallelism: Int
    public let chunkSize: Int
    public static let defaultChunkSize = 16 << 20
    /// Pieces up to this size are hashed and scanned on the task that read them.
    static let inlineLimit = 256 << 10

    public init(
        objects: any ObjectStore, files: any FileSource,
        parallelism: Int = ProcessInfo.processInfo.activeProcessorCount, chunkSize: Int = Snapshotter.defaultChunkSize
    ) {
        self.objects = objects
        self.files = files
        self.parallelism = max(1, parallelism)
        self.chunkSize = max(64, chunkSize)
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
        /// For CSV, each file's column names as its first piece read them (empty for an empty file), so that
        /// aligning the files' columns reads nothing again; empty when not known.
        public var headers: [[String]] = []
    }

    struct Piece: Sendable {
        var file: Int
        var index: Int
        var offset: Int
        var length: Int
        /// The first piece of the first non-empty file gives the dataset's column names.
        var readsHeader: Bool
        /// The first piece of a CSV file gives that file's column names.
        var readsFileHeader: Bool
    }

    struct Staged: Sendable {
        var chunk: ChunkRef
        var object: StagedObject
        var stats: ChunkStats
        var header: [String]?
    }

    /// Stages every file and returns the manifest entries in input order. Nothing is visible yet; on
    /// failure, everything staged so far is discarded.
    public func stage(_ inputs: [Input], format: DataFormat, delimiter: UInt8) async throws -> Result {
        var before: [FileSnapshot] = []
        for input in inputs { before.append(try await self.files.snapshot(of: input.url)) }
        var pieces: [Piece] = []
        let headerFile = before.firstIndex { $0.size > 0 } ?? 0
        for (file, snapshot) in before.enumerated() {
            let count = max(1, (snapshot.size + chunkSize - 1) / chunkSize)
            for index in 0..<count {
                let offset = index * chunkSize
                pieces.append(
                    Piece(
                        file: file, index: index, offset: offset, length: min(chunkSize, snapshot.size - offset),
                        readsHeader: file == headerFile && index == 0, readsFileHeader: index == 0 && format == .csv))
            }
        }
        let plan = pieces
        let results = SlotArray<Staged>(count: plan.count)
        let next = Counter()
        do {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<min(parallelism, plan.count) {
                    // Each worker reads through the port, then hashes and scans on a blocking thread.
                    group.addTask {
                        while let index = next.take(below: plan.count) {
                            let piece = plan[index]
                            let url = inputs[piece.file].url
                            let bytes = try await self.files.read(
                                url, range: piece.offset..<(piece.offset + piece.length))
                            guard bytes.count == piece.length else { throw Self.changed(url) }
                            // A small piece is hashed in place: a hop to a blocking thread costs more than it.
                            results[index] =
                                piece.length <= Self.inlineLimit
                                ? try stagePiece(piece, bytes, format, delimiter)
                                : try await Blocking.run { try stagePiece(piece, bytes, format, delimiter) }
                        }
                    }
                }
                try await group.waitForAll()
            }
            for (input, snapshot) in zip(inputs, before) { try await requireUnchanged(input.url, since: snapshot) }
        } catch {
            await objects.discard(results.values.compactMap { $0?.object })
            throw error
        }
        let staged = results.values.map { $0! }
        var files: [ManifestFile] = []
        var schema: [String] = []
        var byFile = Array(repeating: [Staged](), count: inputs.count)
        for (piece, result) in zip(plan, staged) { byFile[piece.file].append(result) }
        var headers: [[String]] = []
        for (file, (own, input)) in zip(byFile, inputs).enumerated() {
            if file == headerFile, let header = own.first?.header { schema = header }
            if format == .csv { headers.append(own.first?.header ?? []) }
            let rows = ChunkScanner.rows(of: own.map(\.stats), format: format)
            files.append(ManifestFile(name: input.name, chunks: own.map(\.chunk), rows: rows))
        }
        return Result(files: files, staged: staged.map(\.object), schema: schema, headers: headers)
    }

    private func requireUnchanged(_ url: URL, since snapshot: FileSnapshot) async throws {
        guard try await files.snapshot(of: url) == snapshot else { throw Self.changed(url) }
    }

    private static func changed(_ url: URL) -> UsageError {
        UsageError("\(url.path) changed while it was being ingested", hint: "ingest it again once it is complete")
    }

    private func stagePiece(_ piece: Piece, _ data: Data, _ format: DataFormat, _ delimiter: UInt8) throws -> Staged {
        try data.withUnsafeBytes { bytes in
            var hasher = SHA256()
            hasher.update(bufferPointer: bytes)
            let id = ObjectID(digest: hasher.finalize())
            let writer = try objects.makeWriter()
            do {
                try writer.write(bytes)
                let object = try writer.finish(id: id, size: Int64(piece.length))
                return Staged(
                    chunk: ChunkRef(object: id, bytes: Int64(piece.length)), object: object,
                    stats: ChunkScanner.scan(bytes, quotes: format == .csv),
                    header: piece.readsHeader || piece.readsFileHeader
                        ? HeaderReader.columns(bytes, format: format, delimiter: delimiter) : nil)
            } catch {
                writer.abandon()
                throw error
            }
        }
    }
}

/// Hands out 0, 1, 2, … to whichever worker asks next.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    func take(below limit: Int) -> Int? {
        lock.withLock {
            guard value < limit else { return nil }
            defer { value += 1 }
            return value
        }
    }
}

/// Results written by index from several workers.
final class SlotArray<Element: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Element?]

    init(count: Int) { slots = Array(repeating: nil, count: count) }

    subscript(index: Int) -> Element? {
        get { lock.withLock { slots[index] } }
        set { lock.withLock { slots[index] = newValue } }
    }

    var values: [Element?] { lock.withLock { slots } }
}
