/// A DFA over ASCII bytes built by subset construction from a Thompson NFA, with search semantics (a
/// match may start anywhere) and a match state that stops the scan as soon as a match is certain.
final class DFA: @unchecked Sendable {
    private enum State {
        case bytes(ByteClass, Int)
        case split(Int, Int)
        case start(Int)
        case end(Int)
        case match
    }

    /// `transitions[state << 8 | byte]` is the next state's row offset (`next << 8`), so the scan needs no
    /// shift between dependent loads.
    private let transitions: UnsafeMutablePointer<Int32>
    /// Per state: 1 when a match has been found, 2 when one is found if the input ends here (through
    /// `$`), 0 otherwise, 3 when the DFA cannot answer.
    private let outcomes: UnsafeMutablePointer<UInt8>
    /// Two bytes per step when the bytes fall in at most 16 classes (bytes every state treats alike):
    /// `pairs[state << pairShift | high[first] + low[second]]` is the state after both, shifted likewise.
    /// Halves the chain of dependent loads that bounds the scan.
    private let pairs: UnsafeMutablePointer<Int32>?
    private let classes: UnsafeMutablePointer<UInt8>?
    private let pairShift: Int
    private static let maxStates = 4096
    private static let maxPairEntries = 1 << 16

    /// The tables as plain pointers, for a checker's hot loop.
    var tables: Tables {
        Tables(
            transitions: transitions, outcomes: outcomes, pairs: pairs, high: classes, low: classes.map { $0 + 256 },
            pairShift: pairShift)
    }

    struct Tables {
        let transitions: UnsafePointer<Int32>
        let outcomes: UnsafePointer<UInt8>
        let pairs: UnsafePointer<Int32>?
        let high: UnsafePointer<UInt8>?
        let low: UnsafePointer<UInt8>?
        let pairShift: Int

        init(
            transitions: UnsafeMutablePointer<Int32>, outcomes: UnsafeMutablePointer<UInt8>,
            pairs: UnsafeMutablePointer<Int32>?, high: UnsafeMutablePointer<UInt8>?, low: UnsafeMutablePointer<UInt8>?,
            pairShift: Int
        ) {
            self.transitions = UnsafePointer(transitions)
            self.outcomes = UnsafePointer(outcomes)
            self.pairs = pairs.map { UnsafePointer($0) }
            self.high = high.map { UnsafePointer($0) }
            self.low = low.map { UnsafePointer($0) }
            self.pairShift = pairShift
        }

        /// The same automaton stepping one byte at a time.
        var singleBytes: Tables {
            Tables(
                transitions: UnsafeMutablePointer(mutating: transitions),
                outcomes: UnsafeMutablePointer(mutating: outcomes),
                pairs: nil, high: nil, low: nil, pairShift: 0)
        }
    }

    init?(compiling root: PatternNode) {
        var states: [State] = [.match]
        func add(_ state: State) -> Int {
            states.append(state)
            return states.count - 1
        }
        var budget = 20_000
        func compile(_ node: PatternNode, _ next: Int) throws -> Int {
            budget -= 1
            guard budget > 0 else { throw UnsupportedPattern() }
            switch node {
            case .bytes(let set): return add(.bytes(set, next))
            case .start: return add(.start(next))
            case .end: return add(.end(next))
            case .sequence(let items):
                var target = next
                for item in items.reversed() { target = try compile(item, target) }
                return target
            case .choice(let branches):
                var target = try compile(branches[branches.count - 1], next)
                for branch in branches.dropLast().reversed() { target = add(.split(try compile(branch, next), target)) }
                return target
            case .repeated(let inner, let min, let max):
                var target = next
                if let max {
                    for _ in 0..<(max - min) { target = add(.split(try compile(inner, target), next)) }
                } else {
                    let loop = add(.split(-1, target))
                    states[loop] = .split(try compile(inner, loop), target)
                    target = loop
                }
                // `x{2,}` is `x x x*`: each required copy is compiled in front of the rest.
                for _ in 0..<min { target = try compile(inner, target) }
                return target
            }
        }
        guard let entry = try? compile(root, 0) else { return nil }

        func closure(_ seeds: [Int], atStart: Bool, atEnd: Bool) -> [Int] {
            var seen = Set<Int>()
            var stack = seeds
            var result: [Int] = []
            while let state = stack.popLast() {
                guard seen.insert(state).inserted else { continue }
                result.append(state)
                switch states[state] {
                case .split(let first, let second): stack.append(contentsOf: [first, second])
                case .start(let next) where atStart: stack.append(next)
                case .end(let next) where atEnd: stack.append(next)
                default: break
                }
            }
            return result.sorted()
        }

        var ids: [[Int]: Int32] = [:]
        var sets: [[Int]] = []
        var startFlags: [Bool] = []
        func intern(_ set: [Int], isStart: Bool) -> Int32? {
            if let id = ids[set] { return id }
            guard sets.count < Self.maxStates else { return nil }
            let id = Int32(sets.count)
            ids[set] = id
            sets.append(set)
            startFlags.append(isStart)
            return id
        }
        guard intern(closure([entry], atStart: true, atEnd: false), isStart: true) != nil else { return nil }
        var ascii: [[Int32]] = []
        var pending = 0
        while pending < sets.count {
            let current = sets[pending]
            var row = [Int32](repeating: 0, count: 128)
            for byte in UInt8(0)..<128 {
                var moved = [entry]  // a new match may begin at every position
                for state in current {
                    if case .bytes(let set, let next) = states[state], set.contains(byte) { moved.append(next) }
                }
                guard let target = intern(closure(moved, atStart: false, atEnd: false), isStart: false) else {
                    return nil
                }
                row[Int(byte)] = target
            }
            ascii.append(row)
            pending += 1
        }
        // One row of 256 per state. A state with a match keeps it whatever follows; bytes the DFA does not
        // answer for (outside ASCII, line terminators) lead to a last state that keeps the value undecided.
        let undecided = Int32(sets.count)
        let stateCount = sets.count + 1
        transitions = .allocate(capacity: stateCount << 8)
        outcomes = .allocate(capacity: stateCount)
        for state in 0..<stateCount {
            let matched = state < sets.count && sets[state].contains(0)
            for byte in 0..<256 {
                let target: Int32
                if matched {
                    target = Int32(state)
                } else if state == sets.count || byte >= 128 || (10...13).contains(byte) {
                    target = undecided
                } else {
                    target = ascii[state][byte]
                }
                transitions[state << 8 | byte] = target << 8
            }
            if state == sets.count {
                outcomes[state] = 3
            } else {
                outcomes[state] =
                    matched ? 1 : closure(sets[state], atStart: startFlags[state], atEnd: true).contains(0) ? 2 : 0
            }
        }
        (pairs, classes, pairShift) = Self.pairTables(transitions, stateCount: stateCount)
    }

    /// Groups bytes that every state treats alike, and when there are few groups, builds the two-byte
    /// table over them.
    private static func pairTables(
        _ transitions: UnsafeMutablePointer<Int32>, stateCount: Int
    ) -> (
        UnsafeMutablePointer<Int32>?, UnsafeMutablePointer<UInt8>?, Int
    ) {
        var classOf = [Int](repeating: 0, count: 256)
        var ids: [[Int32]: Int] = [:]
        var representatives: [Int] = []
        for byte in 0..<256 {
            let column = (0..<stateCount).map { transitions[$0 << 8 | byte] }
            if let id = ids[column] {
                classOf[byte] = id
            } else {
                ids[column] = representatives.count
                classOf[byte] = representatives.count
                representatives.append(byte)
            }
        }
        let count = representatives.count
        guard count <= 16 else { return (nil, nil, 0) }
        var shift = 0
        while 1 << shift < count * count { shift += 1 }
        guard stateCount << shift <= maxPairEntries else { return (nil, nil, 0) }
        let classes = UnsafeMutablePointer<UInt8>.allocate(capacity: 512)
        for byte in 0..<256 {
            classes[byte] = UInt8(classOf[byte] * count)
            classes[256 + byte] = UInt8(classOf[byte])
        }
        let pairs = UnsafeMutablePointer<Int32>.allocate(capacity: stateCount << shift)
        pairs.initialize(repeating: 0, count: stateCount << shift)
        for state in 0..<stateCount {
            for first in 0..<count {
                let middle = Int(transitions[state << 8 | representatives[first]])
                for second in 0..<count {
                    let target = Int(transitions[middle | representatives[second]]) >> 8
                    pairs[state << shift | (first * count + second)] = Int32(target << shift)
                }
            }
        }
        return (pairs, classes, shift)
    }

    deinit {
        transitions.deallocate()
        outcomes.deallocate()
        pairs?.deallocate()
        classes?.deallocate()
    }

    /// Whether the pattern matches; `nil` for a value outside printable ASCII and tab, which the caller
    /// answers with `NSRegularExpression` (line terminators and Unicode need its exact rules). One table
    /// lookup per two bytes (or per byte) and nothing else in the loop's dependency chain.
    @inline(__always)
    static func matches(_ bytes: UnsafeRawBufferPointer, _ tables: Tables) -> Bool? {
        var row = 0
        if let pairs = tables.pairs, let high = tables.high, let low = tables.low, let base = bytes.baseAddress {
            let shift = tables.pairShift
            var state = 0
            var index = 0
            let count = bytes.count
            while index + 1 < count {
                let first = base.load(fromByteOffset: index, as: UInt8.self)
                let second = base.load(fromByteOffset: index + 1, as: UInt8.self)
                state = Int(pairs[state | Int(high[Int(first)]) &+ Int(low[Int(second)])])
                index += 2
            }
            row = (state >> shift) << 8
            if index < count {
                row = Int(tables.transitions[row | Int(base.load(fromByteOffset: index, as: UInt8.self))])
            }
        } else {
            for byte in bytes { row = Int(tables.transitions[row | Int(byte)]) }
        }
        switch tables.outcomes[row >> 8] {
        case 1, 2: return true
        case 0: return false
        default: return nil
        }
    }
}
