/// RFC 4180 read plainly, one byte at a time, as the reference for the gate's reader: a byte order mark at
/// the start is dropped, `""` inside quotes is a quote, CR LF and LF end a record outside quotes, and a line
/// with nothing on it is no record.
public enum ReferenceCSV {
    public static func records(_ text: String) -> [[String]] {
        var bytes = Array(text.utf8)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        var records: [[String]] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var inQuotes = false
        var quotedRecord = false
        var index = 0
        func endRecord() {
            fields.append(String(decoding: field, as: UTF8.self))
            field = []
            if !(fields.count == 1 && fields[0].isEmpty && !quotedRecord) { records.append(fields) }
            fields = []
            quotedRecord = false
        }
        while index < bytes.count {
            let byte = bytes[index]
            if inQuotes {
                if byte == 0x22 {
                    if index + 1 < bytes.count && bytes[index + 1] == 0x22 {
                        field.append(0x22)
                        index += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    field.append(byte)
                }
            } else if byte == 0x22 && field.isEmpty {
                inQuotes = true
                quotedRecord = true
            } else if byte == 0x2C {
                fields.append(String(decoding: field, as: UTF8.self))
                field = []
            } else if byte == 0x0A || (byte == 0x0D && index + 1 < bytes.count && bytes[index + 1] == 0x0A) {
                if byte == 0x0D { index += 1 }
                endRecord()
            } else {
                field.append(byte)
            }
            index += 1
        }
        if !field.isEmpty || !fields.isEmpty || quotedRecord { endRecord() }
        return records
    }
}
