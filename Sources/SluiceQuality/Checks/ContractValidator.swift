import Foundation
import SluiceCore

/// Checks data against a dataset's contract in one streaming pass: schema, every column rule and every
/// table check, with malformed records reported as row problems rather than stopping the read.
///
/// CSV and JSON Lines files are cut into pieces that worker threads read and check at once (each with
/// its own buffer, so memory stays bounded apart from the uniqueness and reference sets); the caller's
/// thread merges the pieces in file order, which keeps line numbers, samples, the first-occurrence rule of
/// uniqueness and the order of row verdicts exactly as a sequential read would have them.
public final class ContractValidator {
    public let dataset: Dataset
    public let format: DataFormat
    public let delimiter: UInt8
    public let now: Timestamp
    public let sampleLimit: Int
    public let maxRecordBytes: Int
    /// Bytes per piece of a CSV file.
    public let chunkSize: Int
    /// Worker threads (0: everything on the caller's thread).
    public let workers: Int
    /// Called on the caller's thread as bytes are checked: done so far, and the total of all inputs.
    public var progress: ((Int, Int) -> Void)?
    let contract: CompiledContract
    /// Bytes the uniqueness sets held at the end of the last run.
    public private(set) var keyMemory = 0

    public init(
        dataset: Dataset, format: DataFormat, delimiter: UInt8 = UInt8(ascii: ","),
        references: [String: Set<String>?] = [:], now: Timestamp, sampleLimit: Int = 5,
        maxRecordBytes: Int = 64 << 20, chunkSize: Int = 4 << 20,
        workers: Int = min(ProcessInfo.processInfo.activeProcessorCount, 8)
    ) {
        self.dataset = dataset
        self.format = format
        self.delimiter = delimiter
        self.now = now
        self.sampleLimit = sampleLimit
        self.maxRecordBytes = max(1024, maxRecordBytes)
        self.chunkSize = max(4096, chunkSize)
        self.workers = max(0, workers)
        contract = CompiledContract(dataset: dataset, references: references)
    }

    public func validate(
        _ inputs: [(name: String, source: any ByteSource)], rows delivery: RowDelivery = .none,
        onHeader: (Int, UnsafeRawBufferPointer) throws -> Void = { _, _ in },
        onRow: (RowVerdict) throws -> Void = { _ in }
    ) throws -> ValidationReport {
        let merger = ValidationMerger(contract: contract, sampleLimit: sampleLimit)
        let total = inputs.reduce(0) { $0 + $1.source.size }
        var done = 0
        try withoutActuallyEscaping(onRow) { onRow in
            let deliver: ((RowVerdict) throws -> Void)?
            switch delivery {
            case .none: deliver = nil
            case .invalid: deliver = { verdict in if !verdict.failed.isEmpty { try onRow(verdict) } }
            case .all: deliver = onRow
            }
            for (file, input) in inputs.enumerated() {
                let report: (Int) -> Void = { [progress] bytes in progress?(done + bytes, total) }
                switch format {
                case .csv:
                    try validateCSV(
                        input.source, file: file, name: input.name, merger: merger, onHeader: onHeader,
                        onRow: deliver, progress: report)
                case .jsonl:
                    try validateJSONLines(
                        input.source, file: file, name: input.name, merger: merger, onRow: deliver, progress: report)
                }
                done += input.source.size
            }
        }
        keyMemory = merger.keyMemory
        try showFileText(merger, inputs.map(\.source))
        return merger.report(files: inputs.map(\.name), now: now)
    }

    /// Samples of checks on typed keys show the file's own text: the sampled records are read back.
    private func showFileText(_ merger: ValidationMerger, _ sources: [any ByteSource]) throws {
        let reader = SampleText(
            contract: contract, format: format, delimiter: delimiter, maxRecordBytes: maxRecordBytes)
        for (file, pending) in Dictionary(grouping: merger.pendingTexts, by: \.file) {
            let fields = try reader.fields(
                sources[file], lines: Set(pending.map(\.line)), columns: Set(pending.flatMap(\.columns)))
            for sample in pending {
                if let found = fields[sample.line] { merger.setText(sample, fields: found) }
            }
        }
    }

    private func validateCSV(
        _ source: any ByteSource, file: Int, name: String, merger: ValidationMerger,
        onHeader: (Int, UnsafeRawBufferPointer) throws -> Void, onRow: ((RowVerdict) throws -> Void)?,
        progress: (Int) -> Void
    ) throws {
        let header = try CSVHeader.read(source, delimiter: delimiter, maxRecordBytes: maxRecordBytes)
        let names = contract.columns.map(\.spec.name)
        let positions = names.map { header.names.firstIndex(of: $0) }
        let missing = zip(names, positions).filter { $0.1 == nil }.map(\.0)
        let extra = header.names.filter { !names.contains($0) }
        if !names.isEmpty && !missing.isEmpty {
            merger.batchProblems.append(
                "\(name): missing columns \(missing.joined(separator: ", ")) (the header is line 1)")
        }
        if !names.isEmpty && !extra.isEmpty {
            merger.batchProblems.append(
                "\(name): columns not in the contract: \(extra.map { NameRules.quoted($0) }.joined(separator: ", "))")
        }
        // A name twice would make the checks read one column and leave the other unchecked.
        var seen = Set<String>()
        let repeated = header.names.filter { !seen.insert($0).inserted }
        if !repeated.isEmpty {
            merger.batchProblems.append(
                "\(name): the header names \(Array(Set(repeated)).sorted().map { NameRules.quoted($0) }.joined(separator: ", ")) more than once (line 1)"
            )
        }
        if header.found { try header.raw.withUnsafeBytes { try onHeader(file, $0) } }
        let layout = CSVLayout(
            positions: positions, fieldCount: names.isEmpty ? 0 : header.names.count, delimiter: delimiter,
            maxRecordBytes: maxRecordBytes)
        let pool = BufferPool()
        let contract = self.contract
        let sampleLimit = self.sampleLimit
        try validatePieces(
            source, from: header.dataStart, firstLine: header.dataLine, file: file, name: name, merger: merger,
            onRow: onRow, progress: progress
        ) {
            CSVChunkReader(source: source, layout: layout, contract: contract, sampleLimit: sampleLimit, pool: pool)
        }
    }

    private func validateJSONLines(
        _ source: any ByteSource, file: Int, name: String, merger: ValidationMerger,
        onRow: ((RowVerdict) throws -> Void)?, progress: (Int) -> Void
    ) throws {
        let contract = self.contract
        let sampleLimit = self.sampleLimit
        let maxRecordBytes = self.maxRecordBytes
        try validatePieces(
            source, from: 0, firstLine: 1, file: file, name: name, merger: merger, onRow: onRow, progress: progress
        ) {
            JSONLinesChunkReader(
                source: source, contract: contract, sampleLimit: sampleLimit, maxRecordBytes: maxRecordBytes)
        }
    }

    /// Cuts `source` from `start` on into pieces, reads them on the workers, and merges them in file order
    /// on this thread. Each piece after the first guesses where its first record starts; the guess is
    /// confirmed against where the previous piece's last record ended, and the piece is read again from
    /// there when it was wrong.
    private func validatePieces<Reader: ChunkReading>(
        _ source: any ByteSource, from start: Int, firstLine: Int64, file: Int, name: String,
        merger: ValidationMerger, onRow: ((RowVerdict) throws -> Void)?, progress: (Int) -> Void,
        makeReader: @escaping @Sendable () -> Reader
    ) throws {
        let chunkSize = self.chunkSize
        let ranges = stride(from: start, to: source.size, by: chunkSize).map { $0..<min($0 + chunkSize, source.size) }
        let keepRows = onRow != nil
        let local = makeReader()
        let parallel: OrderedWorkers<ChunkResult>? =
            ranges.count > 2 && workers > 0
            ? OrderedWorkers(
                count: ranges.count, workers: workers, window: workers * 2, makeState: makeReader,
                job: { reader, index in
                    try reader.read(ranges[index], knownStart: index == 0 ? start : nil, keepRows: keepRows)
                }) : nil
        defer { parallel?.finish() }
        var expected = start
        var line = firstLine
        for (index, range) in ranges.enumerated() {
            var chunk =
                try parallel?.result(index)
                ?? local.read(range, knownStart: index == 0 ? start : nil, keepRows: keepRows)
            // A guess is right when the piece starts where the previous one's last record ended (or, for a
            // piece inside one long record, when that record runs past the piece).
            let confirmed = chunk.isEmpty ? expected >= range.upperBound : chunk.start == expected
            if !confirmed { chunk = try local.read(range, knownStart: expected, keepRows: keepRows) }
            if index == 0 && ranges.count > 1 && chunk.end > chunk.start {
                // Rows to expect from the first piece's density, plus a margin.
                let density = Double(chunk.tallies.rows) / Double(chunk.end - chunk.start)
                merger.expect(rows: Int(density * Double(source.size - start) * 1.05))
            }
            try merger.merge(chunk, firstLine: line, file: file, fileName: name, onRow: onRow)
            line += chunk.lines
            if !chunk.isEmpty { expected = chunk.end }
            progress(range.upperBound)
        }
    }
}

/// A CSV file's header: the first record that is not blank, after an optional byte order mark.
struct CSVHeader {
    var found = false
    var names: [String] = []
    var raw: [UInt8] = []
    /// Where the first data record may start, and its line.
    var dataStart = 0
    var dataLine: Int64 = 1

    static func read(_ source: any ByteSource, delimiter: UInt8, maxRecordBytes: Int) throws -> CSVHeader {
        var header = CSVHeader()
        var size = min(64 << 10, source.size)
        while true {
            var bytes = [UInt8](repeating: 0, count: size)
            let count = try bytes.withUnsafeMutableBytes { try source.readFully(at: 0, into: $0) }
            let parser = CSVRecordParser(delimiter: delimiter)
            var position = count >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF ? 3 : 0
            var line: Int64 = 1
            let atEOF = count >= source.size
            let finished: Bool = bytes.withUnsafeBytes { buffer in
                while position < count {
                    switch parser.parse(buffer.baseAddress!, from: position, end: count, atEOF: atEOF) {
                    case .needMore: return false
                    case .blank:
                        line += parser.lines
                        position = parser.next
                    case .record:
                        var field: [UInt8] = []
                        header.names = (0..<parser.fieldCount).map { index in
                            let raw = parser.rawField(buffer.baseAddress!, index)
                            guard parser.isEscaped(index) else { return String(decoding: raw, as: UTF8.self) }
                            CSVRecordParser.unescape(raw, into: &field)
                            return String(decoding: field, as: UTF8.self)
                        }
                        header.found = true
                        header.raw = Array(buffer[position..<parser.recordEnd])
                        header.dataStart = parser.next
                        header.dataLine = line + parser.lines
                        return true
                    }
                }
                return atEOF
            }
            if finished {
                if !header.found { header.dataStart = source.size }
                return header
            }
            guard size < maxRecordBytes else {
                throw UsageError("the header line is longer than \(maxRecordBytes) bytes; is this a CSV file?")
            }
            size = min(size * 4, source.size)
        }
    }
}
