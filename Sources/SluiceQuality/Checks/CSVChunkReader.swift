import Foundation
import SluiceCore

/// How a CSV file's fields map to the contract's columns.
struct CSVLayout: Sendable {
    /// For each contract column, its field's position, or `nil` when the file lacks it.
    var positions: [Int?]
    /// Fields in the header (0 when the file has no header).
    var fieldCount: Int
    var delimiter: UInt8
    var maxRecordBytes: Int
}

/// Reads and checks one byte range of a CSV file: the records that start in it. Without being told where
/// the first record starts, it guesses (just after the first line break at or after the range's start);
/// the ordered merge confirms the guess against where the previous range's last record ended, and has the
/// range read again from there when a quoted line break made the guess wrong.
final class CSVChunkReader: ChunkReading {
    let source: any ByteSource
    let layout: CSVLayout
    let checker: RowChecker
    let pool: BufferPool
    private let parser: CSVRecordParser
    private var scratch: [UInt8] = []

    init(source: any ByteSource, layout: CSVLayout, contract: CompiledContract, sampleLimit: Int, pool: BufferPool) {
        self.source = source
        self.layout = layout
        self.pool = pool
        checker = RowChecker(contract: contract, sampleLimit: sampleLimit)
        parser = CSVRecordParser(delimiter: layout.delimiter)
    }

    func read(_ range: Range<Int>, knownStart: Int?, keepRows: Bool) throws -> ChunkResult {
        let start = try knownStart ?? guessStart(range)
        let result = ChunkResult(start: start, contract: checker.contract)
        guard start < range.upperBound, start < source.size else {
            result.isEmpty = true
            return result
        }
        checker.begin()
        var buffer = pool.take(minimum: min(source.size - start, range.upperBound - start + (64 << 10)))
        var filled = try source.readFully(at: start, into: buffer)
        var delta = start  // file offset of buffer index 0
        var position = 0
        var lines: Int64 = 0
        while position + delta < range.upperBound {
            let atEOF = filled + delta >= source.size
            if position >= filled && atEOF { break }
            let outcome = parser.parse(
                UnsafeRawPointer(buffer.baseAddress!), from: position, end: filled, atEOF: atEOF)
            switch outcome {
            case .needMore:
                if filled - position >= layout.maxRecordBytes {
                    checker.startRow(line: Int32(truncatingIfNeeded: lines))
                    checker.parseProblem(RowProblem.recordTooLong(limit: layout.maxRecordBytes).message)
                    let (next, skipped) = try skipRecord(from: position + delta)
                    if keepRows {
                        result.rowBounds.append(contentsOf: [position, position])
                        result.rowSpans.append(contentsOf: [position + delta, next])
                    }
                    lines += skipped
                    delta = next - position
                    filled = position + (try source.readFully(at: next, into: Self.tail(buffer, from: position)))
                } else {
                    let grown = pool.take(minimum: buffer.count * 2)
                    grown.baseAddress!.copyMemory(from: buffer.baseAddress!, byteCount: filled)
                    pool.put(buffer)
                    buffer = grown
                    filled += try source.readFully(at: filled + delta, into: Self.tail(buffer, from: filled))
                }
            case .blank:
                lines += parser.lines
                position = parser.next
            case .record:
                checker.startRow(line: Int32(truncatingIfNeeded: lines))
                checkFields(buffer.baseAddress!)
                checker.finishRow()
                if keepRows {
                    result.rowBounds.append(contentsOf: [position, parser.recordEnd])
                    result.rowSpans.append(contentsOf: [position + delta, parser.next + delta])
                }
                lines += parser.lines
                position = parser.next
            }
        }
        result.end = position + delta
        result.lines = lines
        result.tallies = checker.tallies
        if keepRows {
            result.storage = buffer
            let pool = self.pool
            result.release = { pool.put($0) }
        } else {
            pool.put(buffer)
        }
        return result
    }

    private static func tail(_ buffer: UnsafeMutableRawBufferPointer, from index: Int) -> UnsafeMutableRawBufferPointer
    {
        UnsafeMutableRawBufferPointer(rebasing: buffer[index...])
    }

    private func checkFields(_ base: UnsafeMutableRawPointer) {
        if let problem = parser.problem {
            checker.parseProblem(problem.message)
            return
        }
        if layout.fieldCount > 0 && parser.fieldCount != layout.fieldCount {
            checker.parseProblem(
                RowProblem.wrongFieldCount(expected: layout.fieldCount, found: parser.fieldCount).message)
            return
        }
        for (column, position) in layout.positions.enumerated() {
            guard let position, position < parser.fieldCount else {
                checker.null(column)
                continue
            }
            let raw = parser.rawField(base, position)
            if raw.isEmpty {
                checker.null(column)
            } else if parser.isEscaped(position) {
                CSVRecordParser.unescape(raw, into: &scratch)
                scratch.withUnsafeBytes { checker.check(column, $0) }
            } else {
                checker.check(column, raw)
            }
        }
    }

    private func guessStart(_ range: Range<Int>) throws -> Int {
        let probe = pool.take(minimum: 64 << 10)
        defer { pool.put(probe) }
        return try source.lineStart(in: range, probe: probe)
    }

    /// Skips a record too long to hold, following quotes; returns where the next record starts and the
    /// line breaks passed.
    private func skipRecord(from offset: Int) throws -> (Int, Int64) {
        let piece = pool.take(minimum: 1 << 20)
        defer { pool.put(piece) }
        var inQuotes = false
        var lines: Int64 = 0
        var position = offset
        while true {
            let count = try source.read(at: position, into: piece)
            if count == 0 { return (position, lines) }
            for index in 0..<count {
                let byte = piece[index]
                if byte == CSVRecordParser.quote {
                    inQuotes.toggle()
                } else if byte == CSVRecordParser.newline {
                    lines += 1
                    if !inQuotes { return (position + index + 1, lines) }
                }
            }
            position += count
        }
    }
}

/// Read buffers reused across pieces, so a 1 GiB file does not allocate (and fault in) a new one each time.
final class BufferPool: @unchecked Sendable {
    private let lock = NSLock()
    private var free: [UnsafeMutableRawBufferPointer] = []

    func take(minimum: Int) -> UnsafeMutableRawBufferPointer {
        lock.lock()
        // The smallest free buffer that is big enough.
        if let index = free.indices.filter({ free[$0].count >= minimum }).min(by: { free[$0].count < free[$1].count }) {
            let buffer = free.remove(at: index)
            lock.unlock()
            return buffer
        }
        lock.unlock()
        return .allocate(byteCount: max(minimum, 4096), alignment: 64)
    }

    func put(_ buffer: UnsafeMutableRawBufferPointer) {
        lock.lock()
        free.append(buffer)
        lock.unlock()
    }

    deinit { for buffer in free { buffer.deallocate() } }
}
