import Foundation

/// Lands a batch without its invalid records by cutting their bytes out of the staged snapshot: every
/// other byte stays as it was written (header, line endings, quoting, a missing final line break), stored
/// pieces that hold no invalid record are reused as they are, and only the pieces that held one are
/// written again, as copies of the byte ranges around it. A clean file and the same file with a bad row
/// therefore land the same bytes for every valid row, and a batch with a few bad rows costs a few pieces.
struct RecordCutter {
    let objects: any ObjectStore

    /// `snapshot` with the byte ranges `cuts[file]` (spans of whole records) taken out of each file. The
    /// pieces to copy are copied on every core at once (each is its own object, hashed on its own).
    func cut(_ cuts: [[Range<Int>]], from snapshot: Snapshotter.Result) async throws -> Snapshotter.Result {
        var byID: [ObjectID: StagedObject] = [:]
        for object in snapshot.staged where byID[object.id] == nil { byID[object.id] = object }
        // Per file, per piece: the piece as it is, a copy of some of its ranges, or nothing.
        var plan: [[Piece]] = []
        var copies: [(ranges: [Range<Int>], object: StagedObject)] = []
        for (index, file) in snapshot.files.enumerated() {
            let spans = Self.merged(index < cuts.count ? cuts[index] : [])
            var pieces: [Piece] = []
            var offset = 0
            for chunk in file.chunks {
                let range = offset..<(offset + Int(chunk.bytes))
                offset = range.upperBound
                guard let object = byID[chunk.object] else {
                    throw InternalError("chunk \(chunk.object.short) of \(file.name) was not staged")
                }
                let keep = Self.subtract(spans, from: range)
                if keep == [range] {
                    pieces.append(.kept(chunk, object))
                } else if !keep.isEmpty {
                    pieces.append(.copied(copies.count))
                    copies.append(
                        (keep.map { ($0.lowerBound - range.lowerBound)..<($0.upperBound - range.lowerBound) }, object))
                }
            }
            plan.append(pieces)
        }
        let written = try await copyAll(copies)
        var files: [ManifestFile] = []
        var staged: [StagedObject] = []
        var seen = Set<StagedObject>()
        for (index, file) in snapshot.files.enumerated() {
            let chunks = plan[index].map { piece -> ChunkRef in
                switch piece {
                case .kept(let chunk, let object):
                    if seen.insert(object).inserted { staged.append(object) }
                    return chunk
                case .copied(let copy):
                    staged.append(written[copy])
                    return ChunkRef(object: written[copy].id, bytes: written[copy].size)
                }
            }
            let removed = Int64(index < cuts.count ? cuts[index].count : 0)
            files.append(ManifestFile(name: file.name, chunks: chunks, rows: max(0, file.rows - removed)))
        }
        // Cuts take whole records out, never a header line: each file keeps its columns.
        return Snapshotter.Result(files: files, staged: staged, schema: snapshot.schema, headers: snapshot.headers)
    }

    private enum Piece {
        case kept(ChunkRef, StagedObject)
        case copied(Int)
    }

    /// Makes every copy, on as many tasks as there are cores; on failure, none is kept.
    private func copyAll(_ copies: [(ranges: [Range<Int>], object: StagedObject)]) async throws -> [StagedObject] {
        var written = [StagedObject?](repeating: nil, count: copies.count)
        do {
            try await withThrowingTaskGroup(of: (Int, StagedObject).self) { group in
                var next = 0
                func start() {
                    guard next < copies.count else { return }
                    let index = next
                    group.addTask { (index, try await copyRanges(copies[index].ranges, of: copies[index].object)) }
                    next += 1
                }
                for _ in 0..<ProcessInfo.processInfo.activeProcessorCount { start() }
                while let (index, object) = try await group.next() {
                    written[index] = object
                    start()
                }
            }
        } catch {
            await objects.discard(written.compactMap { $0 })
            throw error
        }
        return written.map { $0! }
    }

    /// Stages the bytes of `ranges` of a staged object, in order, as one new object.
    private func copyRanges(_ ranges: [Range<Int>], of object: StagedObject) async throws -> StagedObject {
        let writer = try StagingFile(objects: objects)
        do {
            for range in ranges {
                var copied = 0
                let wanted = Int64(range.lowerBound)..<Int64(range.upperBound)
                for try await piece in objects.readStaged(object, range: wanted) {
                    try piece.withUnsafeBytes { try writer.write($0) }
                    copied += piece.count
                }
                guard copied == range.count else {
                    throw InternalError("staged object \(object.id.short) ended before byte \(range.upperBound)")
                }
            }
            return try writer.finish(name: "", rows: 0).object
        } catch {
            writer.abandon()
            throw error
        }
    }

    /// Sorted, with overlapping and touching ranges joined.
    static func merged(_ ranges: [Range<Int>]) -> [Range<Int>] {
        var result: [Range<Int>] = []
        for range in ranges.sorted(by: { $0.lowerBound < $1.lowerBound }) where !range.isEmpty {
            if let last = result.last, range.lowerBound <= last.upperBound {
                result[result.count - 1] = last.lowerBound..<max(last.upperBound, range.upperBound)
            } else {
                result.append(range)
            }
        }
        return result
    }

    /// What is left of `range` once the (sorted, disjoint) `cuts` are taken out.
    static func subtract(_ cuts: [Range<Int>], from range: Range<Int>) -> [Range<Int>] {
        var left: [Range<Int>] = []
        var position = range.lowerBound
        for cut in cuts where cut.upperBound > range.lowerBound && cut.lowerBound < range.upperBound {
            if cut.lowerBound > position { left.append(position..<cut.lowerBound) }
            position = max(position, cut.upperBound)
        }
        if position < range.upperBound { left.append(position..<range.upperBound) }
        return left
    }
}
