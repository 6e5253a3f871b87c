import Foundation

/// Puts every CSV file of one batch in the column order of its first file, so that a version made of several
/// files is one table: files land (and every reader reads them) with the first file's header. A file whose
/// columns are the same set in another order is written again with its fields moved, each field's bytes as
/// they were (quotes, line endings); files already in order land untouched. Files whose columns are not the
/// same set are refused before the gate (`mismatch`).
struct ColumnAligner {
    let objects: any ObjectStore

    /// The column names of each file's header, in input order (empty for an empty file).
    func headers(_ snapshot: Snapshotter.Result, delimiter: UInt8) async throws -> [[String]] {
        if snapshot.headers.count == snapshot.files.count { return snapshot.headers }
        let byID = Self.stagedByID(snapshot)
        var headers: [[String]] = []
        for file in snapshot.files {
            guard let first = file.chunks.first, let object = byID[first.object] else {
                headers.append([])
                continue
            }
            let start = try await objects.readStaged(object, range: 0..<(1 << 20)).joined()
            headers.append(start.withUnsafeBytes { HeaderReader.columns($0, format: .csv, delimiter: delimiter) })
        }
        return headers
    }

    /// Why the files of a batch are not one table, or `nil`: every file must hold the columns of the
    /// dataset's current version (`expected`, when it has one) or else of the batch's first file.
    static func mismatch(_ headers: [[String]], names: [String], expected: [String]? = nil) -> String? {
        guard let first = expected ?? headers.first(where: { !$0.isEmpty }) else { return nil }
        let reference =
            expected != nil ? "the data already landed" : names[headers.firstIndex(of: first) ?? 0]
        for (index, header) in headers.enumerated() where !header.isEmpty && Set(header) != Set(first) {
            let missing = Set(first).subtracting(header).sorted()
            let extra = Set(header).subtracting(first).sorted()
            return "\(names[index]) does not have the columns of \(reference)"
                + (missing.isEmpty ? "" : " (missing \(missing.joined(separator: ", ")))")
                + (extra.isEmpty ? "" : " (extra \(extra.joined(separator: ", ")))")
                + "; a batch is one table: send those files as their own delivery"
        }
        return nil
    }

    /// `snapshot` with each file in the column order `expected` (the dataset's, for a delivery appended to
    /// it) or else of the first file; the staged objects a rewritten file no longer uses are discarded.
    func align(
        _ snapshot: Snapshotter.Result, delimiter: UInt8, to expected: [String]? = nil
    ) async throws
        -> Snapshotter.Result
    {
        let headers = try await headers(snapshot, delimiter: delimiter)
        guard let schema = expected ?? headers.first(where: { !$0.isEmpty }),
            headers.contains(where: { !$0.isEmpty && $0 != schema })
        else { return snapshot }
        let byID = Self.stagedByID(snapshot)
        var result = snapshot
        var written: [StagedObject] = []
        do {
            for (index, header) in headers.enumerated() where !header.isEmpty && header != schema {
                let order = schema.map { header.firstIndex(of: $0) ?? -1 }
                let file = snapshot.files[index]
                let (object, rewritten) = try await rewrite(file, order: order, delimiter: delimiter, byID: byID)
                written.append(object)
                result.files[index] = rewritten
                if result.headers.indices.contains(index) { result.headers[index] = schema }
            }
        } catch {
            await objects.discard(written)
            throw error
        }
        let used = Set(result.files.flatMap { $0.chunks.map(\.object) })
        let kept = snapshot.staged.filter { used.contains($0.id) }
        await objects.discard(snapshot.staged.filter { !used.contains($0.id) })
        result.staged = kept + written
        return result
    }

    private func rewrite(
        _ file: ManifestFile, order: [Int], delimiter: UInt8, byID: [ObjectID: StagedObject]
    ) async throws -> (StagedObject, ManifestFile) {
        let writer = try StagingFile(objects: objects)
        do {
            var fields = FieldReorderer(delimiter: delimiter, order: order)
            for chunk in file.chunks {
                guard let object = byID[chunk.object] else {
                    throw InternalError("chunk \(chunk.object.short) of \(file.name) was not staged")
                }
                for try await piece in objects.readStaged(object, range: nil) {
                    try piece.withUnsafeBytes { bytes in try fields.feed(bytes) { try writer.write($0) } }
                }
            }
            try fields.finish { try writer.write($0) }
            let (object, stored) = try writer.finish(name: file.name, rows: file.rows)
            return (object, stored)
        } catch {
            writer.abandon()
            throw error
        }
    }

    private static func stagedByID(_ snapshot: Snapshotter.Result) -> [ObjectID: StagedObject] {
        var byID: [ObjectID: StagedObject] = [:]
        for object in snapshot.staged where byID[object.id] == nil { byID[object.id] = object }
        return byID
    }
}
