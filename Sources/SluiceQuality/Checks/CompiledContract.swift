import Foundation
import SluiceCore

/// One check of the report: where its counts and samples go while rows stream through.
struct CheckSlot: Sendable {
    var id: String
    var type: String
    var column: String?
    var severity: CheckSeverity
}

/// A dataset's contract compiled for checking bytes: a slot per check, a program per column, and the table
/// checks. Immutable, so every worker shares one.
final class CompiledContract: @unchecked Sendable {
    let dataset: Dataset
    private(set) var slots: [CheckSlot] = []
    private(set) var columns: [ColumnProgram] = []
    /// `unique` over several columns: the slot and the columns' indexes.
    private(set) var composites: [(slot: Int, columns: [Int])] = []
    /// `references`: the slot, the column's index and the target's keys.
    private(set) var references: [(slot: Int, column: Int, keys: ByteKeySet)] = []
    private(set) var freshness: [(slot: Int, column: Int, maxAge: TimeSpan)] = []
    /// Problems known before reading (a reference target without data).
    private(set) var setupProblems: [(slot: Int, message: String)] = []
    /// Columns whose canonical key bytes some check needs.
    private(set) var keyedColumns: [Bool] = []
    /// Unique columns whose keys are 64-bit numbers (every type but string), by column index.
    private(set) var integerUniques: [Int] = []
    /// Unique columns whose keys are bytes (strings), by column index.
    private(set) var byteUniques: [Int] = []
    static let parseSlot = 0

    init(dataset: Dataset, references values: [String: Set<String>?]) {
        self.dataset = dataset
        slots.append(CheckSlot(id: "parse", type: "parse", column: nil, severity: .error))
        let restricted = dataset.classification == .restricted
        for spec in dataset.columns {
            let program = ColumnProgram(spec: spec, masked: restricted || dataset.pii.contains(spec.name))
            for type in ColumnProgram.declaredChecks(spec) {
                let slot = slots.count
                slots.append(
                    CheckSlot(id: "\(spec.name).\(type)", type: type, column: spec.name, severity: spec.severity))
                program.assign(slot, to: type)
            }
            columns.append(program)
        }
        // Decimals are unique by exact value (`1.50` is `1.5`, `-0` is `0`, and two long decimals that round to
        // one double are two values), so their keys are canonical bytes, not doubles.
        let byteKeyed = { (column: ColumnProgram) in column.type == .string || column.type == .decimal }
        keyedColumns = columns.map { $0.uniqueSlot != nil && byteKeyed($0) }
        integerUniques = columns.indices.filter { columns[$0].uniqueSlot != nil && !byteKeyed(columns[$0]) }
        byteUniques = columns.indices.filter { columns[$0].uniqueSlot != nil && byteKeyed(columns[$0]) }
        let index = { (name: String) in self.columns.firstIndex { $0.spec.name == name } }
        for check in dataset.checks {
            let slot = slots.count
            switch check.kind {
            case .rowCount:
                slots.append(CheckSlot(id: check.id, type: "row_count", column: nil, severity: check.severity))
            case .unique(let names):
                slots.append(
                    CheckSlot(
                        id: check.id, type: "unique", column: names.joined(separator: ","), severity: check.severity))
                let positions = names.compactMap(index)
                for position in positions { keyedColumns[position] = true }
                composites.append((slot, positions))
            case .references(let column, let target, _):
                slots.append(CheckSlot(id: check.id, type: "references", column: column, severity: check.severity))
                guard let position = index(column) else { continue }
                if let keys = values[check.id] ?? nil {
                    keyedColumns[position] = true
                    references.append((slot, position, ByteKeySet(keys)))
                } else {
                    setupProblems.append(
                        (slot, "\(target) has no data in this environment to check against; ingest it first"))
                }
            case .freshness(let column, let maxAge):
                slots.append(CheckSlot(id: check.id, type: "freshness", column: column, severity: check.severity))
                if let position = index(column) { freshness.append((slot, position, maxAge)) }
            }
        }
    }

    func masked(_ column: Int?, _ value: String) -> String {
        if let column, columns[column].masked { return "***" }
        if column == nil && dataset.classification == .restricted { return "***" }
        return value.count > 80 ? String(value.prefix(80)) + "…" : value
    }
}

/// One column's checks, compiled.
final class ColumnProgram: @unchecked Sendable {
    let spec: ColumnSpec
    let masked: Bool
    // The spec's scalars, read in the hot loop without copying the spec.
    let type: ColumnType
    let severity: CheckSeverity
    let min: Double?
    let max: Double?
    let minLength: Int?
    let maxLength: Int?
    let pattern: BytePattern?
    let accepted: AcceptedValues?
    var typeSlot = 0
    var requiredSlot: Int?
    var minSlot: Int?
    var maxSlot: Int?
    var patternSlot: Int?
    var inSlot: Int?
    var minLengthSlot: Int?
    var maxLengthSlot: Int?
    var uniqueSlot: Int?

    init(spec: ColumnSpec, masked: Bool) {
        self.spec = spec
        self.masked = masked
        type = spec.type
        severity = spec.severity
        min = spec.min
        max = spec.max
        minLength = spec.minLength
        maxLength = spec.maxLength
        pattern = spec.pattern.flatMap(BytePattern.init)
        accepted = spec.accepted.map(AcceptedValues.init)
    }

    /// Whether the pattern, accepted values or length checks look at the value's text.
    var checksText: Bool { patternSlot != nil || inSlot != nil || minLengthSlot != nil || maxLengthSlot != nil }

    /// The check types a column declares, in report order.
    static func declaredChecks(_ spec: ColumnSpec) -> [String] {
        var checks = ["type"]
        if spec.required { checks.append("required") }
        if spec.min != nil { checks.append("min") }
        if spec.max != nil { checks.append("max") }
        if spec.pattern != nil { checks.append("pattern") }
        if spec.accepted != nil { checks.append("in") }
        if spec.minLength != nil { checks.append("min_length") }
        if spec.maxLength != nil { checks.append("max_length") }
        if spec.unique { checks.append("unique") }
        return checks
    }

    func assign(_ slot: Int, to type: String) {
        switch type {
        case "type": typeSlot = slot
        case "required": requiredSlot = slot
        case "min": minSlot = slot
        case "max": maxSlot = slot
        case "pattern": patternSlot = slot
        case "in": inSlot = slot
        case "min_length": minLengthSlot = slot
        case "max_length": maxLengthSlot = slot
        default: uniqueSlot = slot
        }
    }
}

/// A column's accepted values, compared as bytes: a few packed one after another (`UInt32` length, then
/// the bytes) and scanned, many in a key set.
final class AcceptedValues: @unchecked Sendable {
    let packed: UnsafeMutableRawPointer
    let count: Int
    let many: ByteKeySet?

    init(_ values: [String]) {
        let few = values.count <= 16 ? values : []
        many = few.isEmpty ? ByteKeySet(values) : nil
        count = few.count
        packed = .allocate(byteCount: max(1, few.reduce(0) { $0 + 4 + $1.utf8.count }), alignment: 4)
        var offset = 0
        for value in few {
            packed.storeBytes(of: UInt32(value.utf8.count), toByteOffset: offset, as: UInt32.self)
            for (index, byte) in value.utf8.enumerated() {
                packed.storeBytes(of: byte, toByteOffset: offset + 4 + index, as: UInt8.self)
            }
            offset += 4 + value.utf8.count
        }
    }

    deinit { packed.deallocate() }

    func contains(_ bytes: UnsafeRawBufferPointer) -> Bool {
        if let many { return many.contains(bytes) }
        return Self.contains(bytes, packed: packed, count: count)
    }

    @inline(__always)
    static func contains(_ bytes: UnsafeRawBufferPointer, packed: UnsafeRawPointer, count: Int) -> Bool {
        var offset = 0
        for _ in 0..<count {
            let length = Int(packed.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
            if length == bytes.count && (length == 0 || memcmp(packed + offset + 4, bytes.baseAddress!, length) == 0) {
                return true
            }
            offset += 4 + length
        }
        return false
    }
}
