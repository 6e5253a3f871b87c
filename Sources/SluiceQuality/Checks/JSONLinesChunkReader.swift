import SluiceCore

/// Reads pieces of a file, the records that start in a byte range; the ordered merge checks the piece
/// starts and joins the pieces in file order.
protocol ChunkReading: SendableMetatype {
    /// Reads the records that start in `range`, the first at `knownStart` when it is known.
    func read(_ range: Range<Int>, knownStart: Int?, keepRows: Bool) throws -> ChunkResult
}

/// Reads and checks the JSON Lines records that start in one byte range. A line break always ends a
/// record here (JSON text cannot hold a raw one), so a piece's first record is just after the first line
/// break at or before its range: the guess the merge confirms is always right.
final class JSONLinesChunkReader: ChunkReading {
    let source: any ByteSource
    let checker: RowChecker
    let maxRecordBytes: Int
    private let names: [String]
    private let nameSet: Set<String>
    private let probe = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 << 10, alignment: 64)

    init(source: any ByteSource, contract: CompiledContract, sampleLimit: Int, maxRecordBytes: Int) {
        self.source = source
        self.maxRecordBytes = maxRecordBytes
        checker = RowChecker(contract: contract, sampleLimit: sampleLimit)
        names = contract.columns.map(\.spec.name)
        nameSet = Set(names)
    }

    /// As for a CSV header: a key the contract declares but the record lacks (a misspelt key would
    /// otherwise read as null), or a key it does not declare (which would land unchecked), refuses the batch.
    private func keyProblem(_ object: [String: Any]) -> String? {
        guard !names.isEmpty else { return nil }
        let missing = names.filter { object[$0] == nil }
        let extra = object.keys.filter { !nameSet.contains($0) }.sorted()
        var parts: [String] = []
        if !missing.isEmpty { parts.append("missing keys \(missing.joined(separator: ", "))") }
        if !extra.isEmpty {
            parts.append("keys not in the contract: \(extra.map { NameRules.quoted($0) }.joined(separator: ", "))")
        }
        return parts.isEmpty ? nil : parts.joined(separator: "; ")
    }

    deinit { probe.deallocate() }

    func read(_ range: Range<Int>, knownStart: Int?, keepRows: Bool) throws -> ChunkResult {
        let start = try knownStart ?? source.lineStart(in: range, probe: probe)
        let result = ChunkResult(start: start, contract: checker.contract)
        guard start < range.upperBound, start < source.size else {
            result.isEmpty = true
            return result
        }
        let reader = JSONLinesReader(source: OffsetByteSource(source, from: start), maxRecordBytes: maxRecordBytes)
        reader.stopAt = range.upperBound - start
        checker.begin()
        var raw: [UInt8] = []
        while try reader.next() {
            checker.startRow(line: Int32(truncatingIfNeeded: reader.recordLine - 1))
            if let problem = reader.problem {
                checker.parseProblem(problem.message)
            } else {
                if result.batchProblems.count < 10, let problem = keyProblem(reader.object) {
                    result.batchProblems.append((reader.recordLine - 1, problem))
                }
                for (column, key) in names.enumerated() {
                    if let value = reader.valueBytes(key) {
                        value.withUnsafeBytes { checker.check(column, $0) }
                    } else {
                        checker.null(column)
                    }
                }
                checker.finishRow()
            }
            if keepRows {
                result.rowBounds.append(raw.count)
                raw.append(contentsOf: reader.rawRecord)
                result.rowBounds.append(raw.count)
                result.rowSpans.append(contentsOf: [
                    start + reader.recordSpan.lowerBound, start + reader.recordSpan.upperBound,
                ])
            }
        }
        result.end = start + reader.consumed
        result.lines = reader.linesRead
        result.tallies = checker.tallies
        if keepRows {
            let storage = UnsafeMutableRawBufferPointer.allocate(byteCount: max(raw.count, 1), alignment: 8)
            raw.withUnsafeBytes { storage.copyMemory(from: $0) }
            result.storage = storage
        }
        return result
    }
}
