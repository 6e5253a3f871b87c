import SluiceCore

/// Folds pieces' results into the report in file order: places their line numbers, judges uniqueness
/// (the first occurrence in the file is kept, every later one fails), counts invalid rows and hands each
/// row's verdict to the caller.
final class ValidationMerger {
    let contract: CompiledContract
    let sampleLimit: Int
    private(set) var rows: Int64 = 0
    private(set) var invalid: Int64 = 0
    private var failures: [Int64]
    private var samples: [[CheckResult.Sample]]
    private let integerSets: [Int64KeySet]
    private let byteSets: [ByteKeySet]
    private var newest: [Int64?]
    var batchProblems: [String] = []
    /// Samples that show a compared key until `setText` gives them the file's own text.
    private(set) var pendingTexts: [PendingText] = []

    init(contract: CompiledContract, sampleLimit: Int) {
        self.contract = contract
        self.sampleLimit = sampleLimit
        failures = Array(repeating: 0, count: contract.slots.count)
        samples = Array(repeating: [], count: contract.slots.count)
        integerSets = contract.integerUniques.map { _ in Int64KeySet() }
        byteSets = (0..<(contract.byteUniques.count + contract.composites.count)).map { _ in ByteKeySet() }
        newest = Array(repeating: nil, count: contract.freshness.count)
    }

    /// Bytes the uniqueness sets hold.
    var keyMemory: Int { integerSets.reduce(0) { $0 + $1.memoryBytes } + byteSets.reduce(0) { $0 + $1.memoryBytes } }

    /// Sizes the uniqueness sets for about `rows` rows at once, instead of growing them step by step.
    func expect(rows: Int) {
        for set in integerSets { set.reserve(rows) }
    }

    func merge(
        _ chunkResult: ChunkResult, firstLine: Int64, file: Int, fileName: String,
        onRow: ((RowVerdict) throws -> Void)?
    ) throws {
        let chunk = chunkResult.tallies
        rows += Int64(chunk.rows)
        for problem in chunkResult.batchProblems where batchProblems.count < 10 {
            batchProblems.append("\(fileName) line \(firstLine + problem.line): \(problem.message)")
        }
        let sampledBefore = samples.map(\.count)
        for slot in failures.indices {
            failures[slot] += chunk.failures[slot]
            for sample in chunk.samples[slot] where samples[slot].count < sampleLimit {
                samples[slot].append(.init(line: firstLine + sample.line, value: sample.value, file: fileName))
            }
        }
        for pending in chunk.pendingSamples {
            let index = sampledBefore[pending.slot] + pending.index
            guard index < samples[pending.slot].count else { continue }
            pendingTexts.append(
                PendingText(
                    slot: pending.slot, index: index, file: file, line: samples[pending.slot][index].line,
                    columns: pending.columns))
        }
        var failedRows = chunk.failedRows
        var failedSlots = chunk.failedSlots
        var foundDuplicates = false
        func duplicate(row: Int32, slot: Int, column: Int?, value: @autoclosure () -> String, text columns: [Int]) {
            failures[slot] += 1
            if samples[slot].count < sampleLimit {
                let line = firstLine + Int64(chunk.rowLines[Int(row)])
                samples[slot].append(.init(line: line, value: contract.masked(column, value()), file: fileName))
                if !columns.isEmpty {
                    pendingTexts.append(
                        PendingText(
                            slot: slot, index: samples[slot].count - 1, file: file, line: line, columns: columns))
                }
            }
            if contract.slots[slot].severity == .error {
                failedRows.append(row)
                failedSlots.append(Int32(slot))
                foundDuplicates = true
            }
        }
        for (list, column) in contract.integerUniques.enumerated() {
            let slot = contract.columns[column].uniqueSlot!
            let type = contract.columns[column].spec.type
            let keys = chunk.integerKeys[list]
            let keyRows = chunk.integerKeyRows[list]
            keys.withUnsafeBufferPointer { buffer in
                integerSets[list].insert(buffer) { position in
                    duplicate(
                        row: keyRows[position], slot: slot, column: column, value: Self.render(keys[position], type),
                        text: [column])
                }
            }
        }
        for (list, batch) in chunk.byteKeys.enumerated() {
            let slot: Int
            let column: Int?
            if list < contract.byteUniques.count {
                column = contract.byteUniques[list]
                slot = contract.columns[column!].uniqueSlot!
            } else {
                column = nil
                slot = contract.composites[list - contract.byteUniques.count].slot
            }
            batch.bytes.withUnsafeBytes { bytes in
                var start = 0
                for (index, end) in batch.ends.enumerated() {
                    let key = UnsafeRawBufferPointer(rebasing: bytes[start..<end])
                    if !byteSets[list].insert(key) {
                        duplicate(
                            row: batch.rows[index], slot: slot, column: column,
                            value: column == nil
                                ? CanonicalKey.compositeParts(key).joined(separator: ",")
                                : String(decoding: key, as: UTF8.self),
                            text: column.map { contract.columns[$0].type == .string ? [] : [$0] }
                                ?? contract.composites[list - contract.byteUniques.count].columns)
                    }
                    start = end
                }
            }
        }
        if foundDuplicates {
            let order = failedRows.indices.sorted {
                (failedRows[$0], failedSlots[$0]) < (failedRows[$1], failedSlots[$1])
            }
            failedRows = order.map { failedRows[$0] }
            failedSlots = order.map { failedSlots[$0] }
        }
        var previous: Int32 = -1
        for row in failedRows where row != previous {
            invalid += 1
            previous = row
        }
        for index in newest.indices {
            guard let value = chunk.newest[index] else { continue }
            newest[index] = max(newest[index] ?? value, value)
        }
        guard let onRow else { return }
        var cursor = 0
        var failed: [String] = []
        for row in 0..<chunk.rows {
            failed.removeAll(keepingCapacity: true)
            while cursor < failedRows.count && failedRows[cursor] == Int32(row) {
                let id = contract.slots[Int(failedSlots[cursor])].id
                if failed.last != id { failed.append(id) }
                cursor += 1
            }
            try onRow(
                RowVerdict(
                    file: file, line: firstLine + Int64(chunk.rowLines[row]), raw: chunkResult.raw(row),
                    failed: failed, span: chunkResult.span(row)))
        }
    }

    /// Gives a pending sample the file's own text of its columns (joined by commas, each masked as its column is).
    func setText(_ pending: PendingText, fields: [Int: String]) {
        guard pending.columns.allSatisfy({ fields[$0] != nil }) else { return }
        samples[pending.slot][pending.index].value = pending.columns.map { contract.masked($0, fields[$0]!) }
            .joined(separator: ",")
    }

    /// A numeric key as the value it stands for.
    static func render(_ key: Int64, _ type: ColumnType) -> String {
        switch type {
        case .decimal: return String(Double(bitPattern: UInt64(bitPattern: key)))
        case .bool: return key == 1 ? "true" : "false"
        case .date: return CivilDate.canonicalDate(days: key)
        case .timestamp: return CivilDate.canonicalTimestamp(microseconds: key)
        default: return String(key)
        }
    }

    /// The report: table checks judged on the totals, and a result per check.
    func report(files: [String], now: Timestamp) -> ValidationReport {
        var messages: [Int: String] = [:]
        for (slot, message) in contract.setupProblems { messages[slot] = message }
        for check in contract.dataset.checks {
            guard case .rowCount(let min, let max) = check.kind,
                let slot = contract.slots.firstIndex(where: { $0.id == check.id })
            else { continue }
            if let min, rows < Int64(min) { messages[slot] = "found \(rows) rows, need at least \(min)" }
            if let max, rows > Int64(max) { messages[slot] = "found \(rows) rows, allowed at most \(max)" }
        }
        for (index, check) in contract.freshness.enumerated() {
            guard let newest = newest[index] else {
                messages[check.slot] = "no value to judge freshness by"
                continue
            }
            if now.milliseconds - newest / 1000 > check.maxAge.milliseconds {
                messages[check.slot] =
                    "newest value is \(CivilDate.canonicalTimestamp(microseconds: newest)), older than \(check.maxAge)"
            }
        }
        var problems = batchProblems
        for (slot, message) in messages.sorted(by: { $0.key < $1.key }) where contract.slots[slot].severity == .error {
            problems.append("\(contract.slots[slot].id): \(message)")
        }
        let checks = contract.slots.enumerated().map { slot, check -> CheckResult in
            CheckResult(
                id: check.id, type: check.type, column: check.column, severity: check.severity,
                success: failures[slot] == 0 && messages[slot] == nil, elementCount: rows,
                unexpectedCount: failures[slot],
                unexpectedPercent: rows == 0 ? 0 : Double(failures[slot]) * 100 / Double(rows),
                samples: samples[slot], message: messages[slot])
        }
        return ValidationReport(
            dataset: contract.dataset.name.description, files: files, rows: rows, validRows: rows - invalid,
            invalidRows: invalid, batchProblems: problems, checks: checks, checkedAt: now)
    }
}
