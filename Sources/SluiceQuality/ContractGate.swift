import Foundation
import SluiceCore

/// The quality gate on embedded defaults: contracts checked by `ContractValidator` over local files.
public struct ContractGate: QualityGate {
    public let maxRecordBytes: Int

    public init(maxRecordBytes: Int = 64 << 20) {
        self.maxRecordBytes = maxRecordBytes
    }

    public func validate(
        dataset: Dataset, format: DataFormat, delimiter: UInt8, files: [(name: String, url: URL)],
        references: [String: Set<String>?], now: Timestamp,
        onHeader: (Int, UnsafeRawBufferPointer) throws -> Void, onRow: (RowVerdict) throws -> Void
    ) throws -> ValidationReport {
        let validator = ContractValidator(
            dataset: dataset, format: format, delimiter: delimiter, references: references, now: now,
            maxRecordBytes: maxRecordBytes)
        let sources: [(name: String, source: any ByteSource)] = try files.map {
            ($0.name, try FileByteSource(url: $0.url))
        }
        return try validator.validate(sources, onHeader: onHeader, onRow: onRow)
    }

    public func columnValues(
        column: String, type: ColumnType?, format: DataFormat, delimiter: UInt8, data: [Data]
    ) throws -> Set<String> {
        let rule = ColumnRule(
            spec: ColumnSpec(
                name: column, type: type ?? .string, location: SourceLocation(file: "", line: 0, column: 0)))
        let rows = try RowSource(
            format: format, source: DataByteSource(data), delimiter: delimiter, maxRecordBytes: maxRecordBytes)
        let mapping = try rows.columnMapping([column], file: "") { _ in }
        var values = Set<String>()
        while try rows.next() {
            guard rows.problem(expectedFields: 0) == nil, let bytes = rows.value(at: mapping.positions[0], key: column)
            else { continue }
            if let value = bytes.withUnsafeBytes({ rule.parse($0) }) { values.insert(value.key) }
        }
        return values
    }
}
