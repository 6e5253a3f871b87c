/// The sliding window the streaming readers keep over their input.
enum ReadBuffer {
    /// Moves the unread bytes `start..<end` to the front, grows the buffer when it is full (never past
    /// `limit` plus 1 MiB), and reads more from `offset`; sets `atEOF` when the source has nothing left.
    static func refill(
        _ buffer: inout UnsafeMutableRawBufferPointer, start: inout Int, end: inout Int, atEOF: inout Bool,
        from source: any ByteSource, offset: inout Int, limit: Int
    ) throws {
        if start > 0 {
            let remaining = end - start
            if remaining > 0 { buffer.baseAddress!.copyMemory(from: buffer.baseAddress! + start, byteCount: remaining) }
            start = 0
            end = remaining
        }
        if end == buffer.count {
            let grown = UnsafeMutableRawBufferPointer.allocate(
                byteCount: min(buffer.count * 2, limit + (1 << 20)), alignment: 64)
            grown.baseAddress!.copyMemory(from: buffer.baseAddress!, byteCount: end)
            buffer.deallocate()
            buffer = grown
        }
        let count = try source.read(at: offset, into: UnsafeMutableRawBufferPointer(rebasing: buffer[end...]))
        if count == 0 { atEOF = true }
        offset += count
        end += count
    }
}
