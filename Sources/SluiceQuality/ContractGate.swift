import Foundation
import SluiceCore

/// The quality gate on embedded defaults: contracts checked by `ContractValidator` over local files.
public struct ContractGate: QualityGate {
    public let maxRecordBytes: Int
    /// Shown progress for long checks (the command line draws a bar on a terminal).
    public let progress: (@Sendable (Int, Int) -> Void)?

    public init(maxRecordBytes: Int = 64 << 20, progress: (@Sendable (Int, Int) -> Void)? = nil) {
        self.maxRecordBytes = maxRecordBytes
        self.progress = progress
    }

    public func validate(
        dataset: Dataset, format: DataFormat, delimiter: UInt8, files: [GateFile],
        references: [String: Set<String>?], now: Timestamp, rows: RowDelivery,
        onHeader: (Int, UnsafeRawBufferPointer) throws -> Void, onRow: (RowVerdict) throws -> Void
    ) throws -> ValidationReport {
        let validator = ContractValidator(
            dataset: dataset, format: format, delimiter: delimiter, references: references, now: now,
            maxRecordBytes: maxRecordBytes)
        validator.progress = progress
        let sources: [(name: String, source: any ByteSource)] = try files.map { file in
            if file.segments.count == 1, case .file(let url) = file.segments[0] {
                return (file.name, try FileByteSource(url: url))
            }
            return (file.name, try ConcatenatedByteSource(file.segments))
        }
        return try validator.validate(sources, rows: rows, onHeader: onHeader, onRow: onRow)
    }

    public func columnValues(
        column: String, type: ColumnType?, dateFormat: DateFormat?, format: DataFormat, delimiter: UInt8,
        data: [Data]
    ) throws -> Set<String> {
        let type = type ?? .string
        var values = Set<String>()
        let source = ConcatenatedByteSource(data)
        switch format {
        case .csv:
            let reader = CSVReader(source: source, delimiter: delimiter, maxRecordBytes: maxRecordBytes)
            guard try reader.next(), let position = (0..<reader.fieldCount).first(where: { reader.field($0) == column })
            else { return values }
            while try reader.next() {
                guard reader.problem == nil, position < reader.fieldCount else { continue }
                let field = Array(reader.field(position).utf8)
                if !field.isEmpty, let key = field.withUnsafeBytes({ CanonicalKey.text(type, $0, format: dateFormat) })
                {
                    values.insert(key)
                }
            }
        case .jsonl:
            let reader = JSONLinesReader(source: source, maxRecordBytes: maxRecordBytes)
            while try reader.next() {
                guard reader.problem == nil, let bytes = reader.valueBytes(column), !bytes.isEmpty,
                    let key = bytes.withUnsafeBytes({ CanonicalKey.text(type, $0, format: dateFormat) })
                else { continue }
                values.insert(key)
            }
        }
        return values
    }
}
