import SluiceCore

/// What checking one piece of a file found: counts and samples per check, the rows that failed an
/// error-severity check, and the keys whose uniqueness only the ordered merge can judge. Line numbers are
/// relative to the piece's first record until the merge places the piece in the file.
final class ChunkResult: @unchecked Sendable {
    /// Where the piece's first record starts in the file, and where the record after its last one starts.
    var start: Int
    var end: Int
    /// Whether no record starts in the piece's byte range (one record runs across it).
    var isEmpty = false
    /// Line breaks from `start` to `end`.
    var lines: Int64 = 0
    var tallies: ChunkTallies
    /// The rows' bytes, kept only when the caller wants every row: `rowBounds` holds start and end pairs
    /// into `storage`.
    var storage: UnsafeMutableRawBufferPointer?
    var rowBounds: [Int] = []
    /// With `rowBounds`: each row's span in the file (first byte, and where what follows its line break starts).
    var rowSpans: [Int] = []
    /// Problems that refuse the whole batch (a JSON Lines record with keys missing or not in the
    /// contract), with lines relative to the piece's first record: `(line, message)`.
    var batchProblems: [(line: Int64, message: String)] = []
    /// Gives `storage` back (to the pool it came from) once the merge is done with it.
    var release: (@Sendable (UnsafeMutableRawBufferPointer) -> Void)?

    init(start: Int, contract: CompiledContract) {
        self.start = start
        end = start
        tallies = ChunkTallies(contract: contract)
    }

    deinit {
        if let storage {
            if let release { release(storage) } else { storage.deallocate() }
        }
    }

    func span(_ row: Int) -> Range<Int> {
        guard row * 2 + 1 < rowSpans.count else { return 0..<0 }
        return rowSpans[row * 2]..<rowSpans[row * 2 + 1]
    }

    func raw(_ row: Int) -> UnsafeRawBufferPointer {
        guard let storage, row * 2 + 1 < rowBounds.count else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(rebasing: storage[rowBounds[row * 2]..<rowBounds[row * 2 + 1]])
    }
}

/// A piece's counts, samples, failed rows and keys: a value the checker fills in place.
struct ChunkTallies {
    var rows = 0
    var failures: [Int64]
    var samples: [[CheckResult.Sample]]
    /// Samples showing a compared key, to be replaced by the file's text: slot, index in `samples[slot]`, columns.
    var pendingSamples: [(slot: Int, index: Int, columns: [Int])] = []
    /// Rows that failed an error-severity check, with the check's slot, in row order.
    var failedRows: [Int32] = []
    var failedSlots: [Int32] = []
    /// Each row's line, relative to the first record's.
    var rowLines: [Int32] = []
    /// Keys of the numeric unique columns (one list per column), and the rows they came from.
    var integerKeys: [[Int64]]
    var integerKeyRows: [[Int32]]
    /// Keys of unique string columns, then of composite unique checks.
    var byteKeys: [KeyBatch]
    /// The newest value per freshness check, in microseconds.
    var newest: [Int64?]

    init(contract: CompiledContract) {
        failures = Array(repeating: 0, count: contract.slots.count)
        samples = Array(repeating: [], count: contract.slots.count)
        let integers = contract.integerUniques.count
        integerKeys = Array(repeating: [], count: integers)
        integerKeyRows = Array(repeating: [], count: integers)
        byteKeys = Array(repeating: KeyBatch(), count: contract.byteUniques.count + contract.composites.count)
        newest = Array(repeating: nil, count: contract.freshness.count)
    }

    /// Makes room for about `rows` rows at once, so the per-row lists do not grow (and copy) step by step.
    mutating func reserve(rows: Int) {
        rowLines.reserveCapacity(rows)
        for list in integerKeys.indices {
            integerKeys[list].reserveCapacity(rows)
            integerKeyRows[list].reserveCapacity(rows)
        }
    }
}

/// Byte-string keys in one buffer, with the row each came from.
struct KeyBatch {
    var bytes: [UInt8] = []
    var ends: [Int] = []
    var rows: [Int32] = []

    mutating func append(_ key: UnsafeRawBufferPointer, row: Int32) {
        bytes.append(contentsOf: key)
        ends.append(bytes.count)
        rows.append(row)
    }

    mutating func append(_ key: [UInt8], row: Int32) {
        bytes.append(contentsOf: key)
        ends.append(bytes.count)
        rows.append(row)
    }
}
