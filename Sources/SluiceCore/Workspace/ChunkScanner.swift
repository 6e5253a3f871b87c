/// Counts record breaks in a piece of a file without knowing whether the piece starts inside a quoted
/// CSV field: it counts both cases, so pieces can be scanned on different cores and combined in order.
public struct ChunkStats: Hashable, Sendable {
    /// Line breaks outside quotes, if the piece starts outside a quoted field.
    public var breaksIfOutside: Int64 = 0
    /// Line breaks outside quotes, if the piece starts inside a quoted field.
    public var breaksIfInside: Int64 = 0
    /// An odd number of quote characters flips the state for the next piece.
    public var flipsQuoteState = false
    public var lastByte: UInt8?

    public init() {}
}

public enum ChunkScanner {
    static let newline = UInt8(ascii: "\n")
    static let quote = UInt8(ascii: "\"")

    /// Scans 16 bytes at a time: blocks without a quote are counted with vector compares (a true lane is
    /// all ones, so subtracting the mask adds one), the rest byte by byte. `quotes: false` (JSON Lines,
    /// where raw line breaks never occur inside strings) counts every break.
    public static func scan(_ bytes: UnsafeRawBufferPointer, quotes: Bool) -> ChunkStats {
        var stats = ChunkStats()
        guard let base = bytes.baseAddress, !bytes.isEmpty else { return stats }
        stats.lastByte = bytes[bytes.count - 1]
        var odd = false  // quote parity since the start of the piece
        var outside: Int64 = 0  // breaks seen while the parity was even
        var inside: Int64 = 0  // breaks seen while the parity was odd
        var lanes = SIMD16<UInt8>()  // per-lane counts of the current run of quote-free blocks
        var blocksInLanes = 0
        let newlines = SIMD16<UInt8>(repeating: newline)
        let quoteMarks = SIMD16<UInt8>(repeating: quote)

        func flushLanes() {
            guard blocksInLanes > 0 else { return }
            var total: Int64 = 0
            for lane in 0..<16 { total += Int64(lanes[lane]) }
            if odd { inside += total } else { outside += total }
            lanes = SIMD16<UInt8>()
            blocksInLanes = 0
        }

        func scanBytes(_ range: Range<Int>) {
            for index in range {
                let byte = bytes[index]
                if quotes && byte == quote {
                    odd.toggle()
                } else if byte == newline {
                    if odd { inside += 1 } else { outside += 1 }
                }
            }
        }

        var offset = 0
        while offset + 16 <= bytes.count {
            let block = (base + offset).loadUnaligned(as: SIMD16<UInt8>.self)
            if quotes && any(block .== quoteMarks) {
                flushLanes()
                scanBytes(offset..<(offset + 16))
            } else {
                lanes &-= unsafeBitCast(block .== newlines, to: SIMD16<UInt8>.self)
                blocksInLanes += 1
                if blocksInLanes == 255 { flushLanes() }
            }
            offset += 16
        }
        flushLanes()
        scanBytes(offset..<bytes.count)
        stats.breaksIfOutside = outside
        stats.breaksIfInside = inside
        stats.flipsQuoteState = odd
        return stats
    }

    /// Records in a whole file from its pieces' stats in order: breaks outside quotes, plus a last record
    /// without a trailing break, less the header for CSV.
    public static func rows(of pieces: [ChunkStats], format: DataFormat) -> Int64 {
        var inQuotes = false
        var lines: Int64 = 0
        for piece in pieces {
            lines += inQuotes ? piece.breaksIfInside : piece.breaksIfOutside
            if piece.flipsQuoteState { inQuotes.toggle() }
        }
        if let last = pieces.last(where: { $0.lastByte != nil })?.lastByte, last != newline { lines += 1 }
        return format == .csv ? max(0, lines - 1) : lines
    }
}
