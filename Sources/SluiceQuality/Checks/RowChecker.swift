import SluiceCore

/// Runs a compiled contract's row checks on field bytes and tallies what it finds. One per worker; every
/// format's reader feeds it the same way (start a row, hand over each column's bytes, finish the row), so
/// CSV and JSON Lines are judged by the same code. The per-column rules sit in a flat buffer of plain
/// values, so the hot loop touches no reference counts.
final class RowChecker {
    let contract: CompiledContract
    let sampleLimit: Int
    private(set) var tallies: ChunkTallies
    private var row: Int32 = -1
    private var line: Int32 = 0
    private let codes: UnsafeMutableBufferPointer<ColumnCode>
    /// Canonical keys of this row's keyed columns: a range into `keys`, or -1 when null or not of the type.
    private var keys: [UInt8] = []
    private var keyStarts: [Int]
    private var keyEnds: [Int]
    private var text: [UInt8] = []

    /// A column's rules as plain values: slots are -1 when the check is not declared.
    struct ColumnCode {
        var type: ColumnType
        var failsRows: Bool
        var keyed: Bool
        var checksText: Bool
        var typeSlot: Int
        var requiredSlot = -1
        var minSlot = -1
        var maxSlot = -1
        var patternSlot = -1
        var inSlot = -1
        var minLengthSlot = -1
        var maxLengthSlot = -1
        var min = -Double.infinity
        var max = Double.infinity
        var minLength = 0
        var maxLength = Int.max
        var pattern: DFA.Tables?
        /// Accepted values packed for a scan; `nil` when there are many (then a key set answers).
        var accepted: UnsafeRawPointer?
        var acceptedCount = 0
        /// The list of this column's unique keys in `integerKeys` or `byteKeys`, else -1.
        var integerList = -1
        var byteList = -1
        var freshList = -1
        /// Whether the column declares a spelling of dates or timestamps (in `formats`); a flag, so that the
        /// code stays plain data and reading it in the hot loop retains nothing.
        var hasFormat = false
    }

    /// Declared date and timestamp spellings, by column (`nil` for ISO 8601).
    private let formats: [DateFormat?]

    init(contract: CompiledContract, sampleLimit: Int) {
        self.contract = contract
        self.sampleLimit = sampleLimit
        formats = contract.columns.map(\.spec.format)
        tallies = ChunkTallies(contract: contract)
        codes = .allocate(capacity: contract.columns.count)
        for (index, program) in contract.columns.enumerated() {
            var code = ColumnCode(
                type: program.type, failsRows: program.severity == .error, keyed: contract.keyedColumns[index],
                checksText: program.checksText, typeSlot: program.typeSlot)
            code.requiredSlot = program.requiredSlot ?? -1
            code.minSlot = program.minSlot ?? -1
            code.maxSlot = program.maxSlot ?? -1
            code.patternSlot = program.patternSlot ?? -1
            code.inSlot = program.inSlot ?? -1
            code.hasFormat = program.spec.format != nil
            code.minLengthSlot = program.minLengthSlot ?? -1
            code.maxLengthSlot = program.maxLengthSlot ?? -1
            code.min = program.min ?? -.infinity
            code.max = program.max ?? .infinity
            code.minLength = program.minLength ?? 0
            code.maxLength = program.maxLength ?? .max
            code.pattern = program.pattern?.dfa?.tables
            if let accepted = program.accepted, accepted.many == nil {
                code.accepted = UnsafeRawPointer(accepted.packed)
                code.acceptedCount = accepted.count
            }
            code.integerList = contract.integerUniques.firstIndex(of: index) ?? -1
            code.byteList = contract.byteUniques.firstIndex(of: index) ?? -1
            code.freshList = contract.freshness.firstIndex { $0.column == index } ?? -1
            (codes.baseAddress! + index).initialize(to: code)
        }
        keyStarts = Array(repeating: -1, count: contract.columns.count)
        keyEnds = Array(repeating: -1, count: contract.columns.count)
    }

    deinit { codes.deallocate() }

    /// Starts a new piece.
    func begin() {
        // Pieces are the same size, so the last one's rows are a good guess for this one's.
        let expected = tallies.rows + tallies.rows / 8
        tallies = ChunkTallies(contract: contract)
        tallies.reserve(rows: expected)
        row = -1
    }

    func startRow(line: Int32) {
        row += 1
        self.line = line
        tallies.rows += 1
        tallies.rowLines.append(line)
        if !keys.isEmpty {
            keys.removeAll(keepingCapacity: true)
            for column in keyStarts.indices { keyStarts[column] = -1 }
        }
    }

    /// The record could not be read as a row; no column checks run on it.
    func parseProblem(_ message: String) {
        fail(CompiledContract.parseSlot, column: nil, failsRow: true, message)
    }

    /// A null value (an empty CSV field, a missing or null JSON value).
    @inline(__always)
    func null(_ column: Int) {
        let code = UnsafePointer(codes.baseAddress.unsafelyUnwrapped + column)
        if code.pointee.requiredSlot >= 0 {
            fail(code.pointee.requiredSlot, column: column, failsRow: code.pointee.failsRows, "(empty)")
        }
    }

    /// Checks one column's non-empty value.
    func check(_ column: Int, _ bytes: UnsafeRawBufferPointer) {
        let code = UnsafePointer(codes.baseAddress.unsafelyUnwrapped + column)
        var number = 0.0
        var hasNumber = false
        var integerKey: Int64 = 0
        switch code.pointee.type {
        case .int:
            guard let value = FieldParser.int(bytes) else { return fail(code.pointee.typeSlot, column, code, bytes) }
            number = Double(value)
            hasNumber = true
            integerKey = value
        case .decimal:
            guard let value = FieldParser.decimal(bytes) else {
                return fail(code.pointee.typeSlot, column, code, bytes)
            }
            number = value
            hasNumber = true
            integerKey = Int64(bitPattern: value.bitPattern)
        case .bool:
            guard let value = FieldParser.bool(bytes) else { return fail(code.pointee.typeSlot, column, code, bytes) }
            integerKey = value ? 1 : 0
        case .date:
            guard let value = code.pointee.hasFormat ? formats[column]!.days(bytes) : FieldParser.date(bytes) else {
                return fail(code.pointee.typeSlot, column, code, bytes)
            }
            integerKey = value
            if code.pointee.freshList >= 0 { fresh(code.pointee.freshList, value * 86_400_000_000) }
        case .timestamp:
            guard
                let value = code.pointee.hasFormat
                    ? formats[column]!.microseconds(bytes) : FieldParser.timestamp(bytes)
            else {
                return fail(code.pointee.typeSlot, column, code, bytes)
            }
            integerKey = value
            if code.pointee.freshList >= 0 { fresh(code.pointee.freshList, value) }
        case .string:
            break
        }
        if hasNumber {
            // Doubles order values correctly except where two round to the same double: a tie is decided on
            // the exact decimal text (`10000.000000000000001` is above a max of 10000).
            if code.pointee.minSlot >= 0
                && (number < code.pointee.min || (number == code.pointee.min && Self.exactly(bytes, below: number)))
            {
                fail(code.pointee.minSlot, column, code, bytes)
            }
            if code.pointee.maxSlot >= 0
                && (number > code.pointee.max || (number == code.pointee.max && Self.exactly(bytes, above: number)))
            {
                fail(code.pointee.maxSlot, column, code, bytes)
            }
        }
        if code.pointee.checksText {
            if code.pointee.type == .string {
                checkText(code, column, bytes, original: bytes)
            } else {
                text.removeAll(keepingCapacity: true)
                _ = CanonicalKey.append(
                    code.pointee.type, bytes, format: code.pointee.hasFormat ? formats[column] : nil, to: &text)
                let copy = text
                copy.withUnsafeBytes { checkText(code, column, $0, original: bytes) }
            }
        }
        if code.pointee.keyed {
            keyStarts[column] = keys.count
            _ = CanonicalKey.append(
                code.pointee.type, bytes, format: code.pointee.hasFormat ? formats[column] : nil, to: &keys)
            keyEnds[column] = keys.count
        }
        if code.pointee.integerList >= 0 {
            tallies.integerKeys[code.pointee.integerList].append(integerKey)
            tallies.integerKeyRows[code.pointee.integerList].append(row)
        } else if code.pointee.byteList >= 0 {
            if code.pointee.type == .decimal {
                tallies.byteKeys[code.pointee.byteList].append(
                    Array(keys[keyStarts[column]..<keyEnds[column]]), row: row)
            } else {
                tallies.byteKeys[code.pointee.byteList].append(bytes, row: row)
            }
        }
    }

    @inline(__always)
    private func checkText(
        _ code: UnsafePointer<ColumnCode>, _ column: Int, _ value: UnsafeRawBufferPointer,
        original: UnsafeRawBufferPointer
    ) {
        if code.pointee.patternSlot >= 0 {
            let matched: Bool
            if let tables = code.pointee.pattern, let answer = DFA.matches(value, tables) {
                matched = answer
            } else {
                matched = contract.columns[column].pattern?.slowMatches(value) ?? true
            }
            if !matched { fail(code.pointee.patternSlot, column, code, original) }
        }
        if code.pointee.inSlot >= 0 {
            let found =
                if let packed = code.pointee.accepted {
                    AcceptedValues.contains(value, packed: packed, count: code.pointee.acceptedCount)
                } else {
                    contract.columns[column].accepted?.contains(value) ?? true
                }
            if !found { fail(code.pointee.inSlot, column, code, original) }
        }
        if code.pointee.minLengthSlot >= 0 || code.pointee.maxLengthSlot >= 0 {
            // Characters are Unicode scalars: every byte that is not a UTF-8 continuation byte starts one.
            var length = 0
            for byte in value where byte & 0xC0 != 0x80 { length += 1 }
            if code.pointee.minLengthSlot >= 0 && length < code.pointee.minLength {
                fail(code.pointee.minLengthSlot, column, code, original)
            }
            if code.pointee.maxLengthSlot >= 0 && length > code.pointee.maxLength {
                fail(code.pointee.maxLengthSlot, column, code, original)
            }
        }
    }

    /// The table checks that look at a whole row: composite keys and references.
    func finishRow() {
        guard !contract.composites.isEmpty || !contract.references.isEmpty else { return }
        // As in SQL, a key with an empty (NULL) or unreadable part equals no other key: the row takes no part
        // in that check (a row that failed its type check cannot make another row a duplicate). Parts are
        // length-prefixed, so no text can pass for a part boundary.
        composites: for (index, composite) in contract.composites.enumerated() {
            text.removeAll(keepingCapacity: true)
            for column in composite.columns {
                guard keyStarts[column] >= 0 else { continue composites }
                let length = UInt32(keyEnds[column] - keyStarts[column])
                withUnsafeBytes(of: length.littleEndian) { text.append(contentsOf: $0) }
                text.append(contentsOf: keys[keyStarts[column]..<keyEnds[column]])
            }
            tallies.byteKeys[contract.byteUniques.count + index].append(text, row: row)
        }
        for reference in contract.references where keyStarts[reference.column] >= 0 {
            let key = Array(keys[keyStarts[reference.column]..<keyEnds[reference.column]])
            if !key.withUnsafeBytes({ reference.keys.contains($0) }) {
                let sampled = tallies.samples[reference.slot].count
                fail(
                    reference.slot, column: reference.column,
                    failsRow: contract.slots[reference.slot].severity == .error,
                    String(decoding: key, as: UTF8.self))
                if tallies.samples[reference.slot].count > sampled && codes[reference.column].type != .string {
                    tallies.pendingSamples.append((reference.slot, sampled, [reference.column]))
                }
            }
        }
    }

    /// Whether the decimal text `bytes` is exactly below (`above`) the bound `bound` it equals as a double.
    static func exactly(_ bytes: UnsafeRawBufferPointer, below bound: Double) -> Bool {
        (DecimalText.compare(String(decoding: bytes, as: UTF8.self), Self.exactText(bound)) ?? 0) < 0
    }

    static func exactly(_ bytes: UnsafeRawBufferPointer, above bound: Double) -> Bool {
        (DecimalText.compare(String(decoding: bytes, as: UTF8.self), Self.exactText(bound)) ?? 0) > 0
    }

    /// A bound as the shortest decimal text that reads back as it: the number the contract wrote.
    private static func exactText(_ bound: Double) -> String { "\(bound)" }

    private func fresh(_ index: Int, _ microseconds: Int64) {
        tallies.newest[index] = max(tallies.newest[index] ?? microseconds, microseconds)
    }

    private func fail(_ slot: Int, _ column: Int, _ code: UnsafePointer<ColumnCode>, _ value: UnsafeRawBufferPointer) {
        fail(slot, column: column, failsRow: code.pointee.failsRows, String(decoding: value, as: UTF8.self))
    }

    private func fail(_ slot: Int, column: Int?, failsRow: Bool, _ value: @autoclosure () -> String) {
        tallies.failures[slot] += 1
        if tallies.samples[slot].count < sampleLimit {
            tallies.samples[slot].append(
                .init(line: Int64(line), value: contract.masked(column, value()), file: nil))
        }
        if failsRow {
            tallies.failedRows.append(row)
            tallies.failedSlots.append(Int32(slot))
        }
    }
}
