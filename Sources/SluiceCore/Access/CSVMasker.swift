/// Masks columns of CSV text as it streams past, chunk by chunk: the header passes as it is, and every
/// field of a masked column becomes `***`. Quoting (RFC 4180, `""` inside quotes) decides where fields
/// end; line endings are kept.
public struct CSVMasker {
    private let mask: DataMask
    private var header: [UInt8] = []
    private var inHeader = true
    private var masked: [Bool] = []
    private var field = 0
    private var inQuotes = false
    private var atFieldStart = true

    public init(mask: DataMask) {
        self.mask = mask
    }

    /// The masked form of the next chunk.
    public mutating func process(_ bytes: UnsafeRawBufferPointer) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        for byte in bytes {
            if inHeader {
                out.append(byte)
                track(byte)
                if inHeader { header.append(byte) }
                continue
            }
            if isBoundary(byte) || !isHidden(field) {
                out.append(byte)
            } else if atFieldStart {
                // The first byte of a masked value stands for all of it; an empty value stays empty.
                out.append(contentsOf: DataMask.placeholder.utf8)
            }
            track(byte)
        }
        return out
    }

    private func isHidden(_ field: Int) -> Bool {
        field < masked.count ? masked[field] : mask == .all
    }

    private func isBoundary(_ byte: UInt8) -> Bool {
        !inQuotes && (byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r"))
    }

    /// Advances the field state past `byte`; the header's end fixes which columns are masked.
    private mutating func track(_ byte: UInt8) {
        if byte == UInt8(ascii: "\"") {
            inQuotes.toggle()
            atFieldStart = false
        } else if !inQuotes && byte == UInt8(ascii: ",") {
            field += 1
            atFieldStart = true
        } else if !inQuotes && byte == UInt8(ascii: "\n") {
            if inHeader { finishHeader() }
            field = 0
            atFieldStart = true
        } else if !(byte == UInt8(ascii: "\r") && !inQuotes) {
            atFieldStart = false
        }
    }

    private mutating func finishHeader() {
        inHeader = false
        masked = header.withUnsafeBytes { HeaderReader.columns($0, format: .csv, delimiter: UInt8(ascii: ",")) }
            .map { mask.masks($0) }
    }
}
