import CSluiceSystem

/// A set of 64-bit keys. Keys that fall in a dense range (ids counting up, dates) live in a bitmap over
/// that range, one bit each; the rest live in one flat hash table (open addressing, linear probing) at
/// 8 bytes a slot with no allocation per key. Ten million sequential ids take 1.2 MiB instead of 128.
final class Int64KeySet: @unchecked Sendable {
    private var slots: UnsafeMutablePointer<Int64>
    private var capacity: Int
    private var shift: Int
    /// Keys in the hash table.
    private var hashed = 0
    /// Whether the key equal to the empty-slot marker is in the set (it cannot live in a slot).
    private var hasMarkerKey = false
    private static let empty = Int64.min
    /// Keys the caller expects; the hash table is sized for them once keys start going to it.
    private var expected = 0
    private var window = DenseWindow()

    init(minimumCapacity: Int = 0) {
        capacity = 1024
        while capacity * 7 / 10 < minimumCapacity { capacity *= 2 }
        shift = 64 - capacity.trailingZeroBitCount
        slots = .allocate(capacity: capacity)
        slots.initialize(repeating: Self.empty, count: capacity)
    }

    deinit {
        slots.deallocate()
        window.deallocate()
    }

    /// Keys in the set.
    var count: Int { hashed + window.count + (hasMarkerKey ? 1 : 0) }

    /// Bytes the set occupies.
    var memoryBytes: Int { capacity * 8 + window.words * 8 }

    @inline(__always)
    private func home(_ key: Int64) -> Int {
        Int(truncatingIfNeeded: KeyHash.mix(UInt64(bitPattern: key)) >> UInt64(shift))
    }

    /// Adds `key`; `false` when it was already there.
    @discardableResult
    func insert(_ key: Int64) -> Bool {
        if window.covers(key) { return window.insert(key) }
        if key == Self.empty {
            defer { hasMarkerKey = true }
            return !hasMarkerKey
        }
        if hashed < Self.migrationLimit && window.grow(toCover: key) {
            migrateIntoWindow()
            return window.insert(key)
        }
        growHash(hashed + 1)
        return place(key)
    }

    func contains(_ key: Int64) -> Bool {
        if window.covers(key) { return window.contains(key) }
        if key == Self.empty { return hasMarkerKey }
        var index = home(key)
        let mask = capacity - 1
        while true {
            let value = slots[index]
            if value == key { return true }
            if value == Self.empty { return false }
            index = (index + 1) & mask
        }
    }

    /// Adds keys in order, calling `duplicate` with the position of each key already present (earlier in
    /// the set or earlier in `keys`). Looks a few keys ahead so the hash table's cache misses overlap.
    func insert(_ keys: UnsafeBufferPointer<Int64>, duplicate: (Int) -> Void) {
        let lookahead = 8
        for position in keys.indices {
            if position + lookahead < keys.count {
                let ahead = keys[position + lookahead]
                if !window.covers(ahead) { sluice_prefetch(slots + home(ahead)) }
            }
            if !insert(keys[position]) { duplicate(position) }
        }
    }

    /// The hash table is rebuilt without the keys a grown window now covers only while it is this small,
    /// so the window stops growing once the keys have shown they are not dense.
    private static let migrationLimit = 1 << 16

    private func migrateIntoWindow() {
        if hasMarkerKey && window.covers(Self.empty) {
            hasMarkerKey = false
            _ = window.insert(Self.empty)
        }
        guard hashed > 0 else { return }
        var moved = false
        for index in 0..<capacity where slots[index] != Self.empty && window.covers(slots[index]) {
            moved = true
            break
        }
        guard moved else { return }
        let old = slots
        let oldCapacity = capacity
        slots = .allocate(capacity: capacity)
        slots.initialize(repeating: Self.empty, count: capacity)
        hashed = 0
        for index in 0..<oldCapacity where old[index] != Self.empty {
            if window.covers(old[index]) { _ = window.insert(old[index]) } else { _ = place(old[index]) }
        }
        old.deallocate()
    }

    @inline(__always)
    private func place(_ key: Int64) -> Bool {
        var index = home(key)
        let mask = capacity - 1
        while true {
            let value = slots[index]
            if value == Self.empty {
                slots[index] = key
                hashed += 1
                return true
            }
            if value == key { return false }
            index = (index + 1) & mask
        }
    }

    /// Expects about `total` keys in all. The hash table is sized for them when keys first go to it, so
    /// dense keys never pay for a table they do not use.
    func reserve(_ total: Int) {
        expected = max(expected, total)
    }

    /// Grows the hash table (to keep it at most 70 % full) before it holds `total` keys.
    @inline(__always)
    private func growHash(_ total: Int) {
        guard total > capacity * 7 / 10 else { return }
        rehash(max(total, expected - window.count))
        expected = 0
    }

    private func rehash(_ total: Int) {
        var grown = capacity * 2
        while grown * 7 / 10 < total { grown *= 2 }
        let old = slots
        let oldCapacity = capacity
        capacity = grown
        shift = 64 - grown.trailingZeroBitCount
        slots = .allocate(capacity: grown)
        slots.initialize(repeating: Self.empty, count: grown)
        hashed = 0
        for index in 0..<oldCapacity where old[index] != Self.empty { _ = place(old[index]) }
        old.deallocate()
    }
}

/// A bitmap over one range of keys, `[base, base + words * 64)`. It only grows while it stays dense: to
/// at most 32 bits per key it holds, and never past 2^30 bits (128 MiB).
struct DenseWindow {
    private(set) var base: Int64 = 0
    private(set) var words = 0
    private(set) var count = 0
    private var bits: UnsafeMutablePointer<UInt64>?
    private static let maxWords = 1 << 24

    @inline(__always)
    func covers(_ key: Int64) -> Bool {
        let (offset, overflow) = key.subtractingReportingOverflow(base)
        return !overflow && UInt64(bitPattern: offset) < UInt64(words) << 6
    }

    /// Sets `key`'s bit; `false` when it was set. The key must be covered.
    @inline(__always)
    mutating func insert(_ key: Int64) -> Bool {
        let offset = Int(key &- base)
        let word = bits! + (offset >> 6)
        let bit: UInt64 = 1 << UInt64(offset & 63)
        guard word.pointee & bit == 0 else { return false }
        word.pointee |= bit
        count += 1
        return true
    }

    func contains(_ key: Int64) -> Bool {
        let offset = Int(key &- base)
        return bits![offset >> 6] & (1 << UInt64(offset & 63)) != 0
    }

    /// Widens the window to cover `key` when the result stays dense; `false` when it would not.
    mutating func grow(toCover key: Int64) -> Bool {
        if bits == nil {
            // Nothing changes unless the window fits below Int64.max (a key near it stays in the hash table).
            guard key & ~63 <= Int64.max - Int64(1 << 16) else { return false }
            words = 1 << 10
            base = key & ~63
            bits = .allocate(capacity: words)
            bits!.initialize(repeating: 0, count: words)
            return true
        }
        let end = base + Int64(words << 6)
        let low = min(base, key & ~63)
        let (span, overflow) = max(end, key &+ 1).subtractingReportingOverflow(low)
        guard !overflow, span <= Int64(Self.maxWords) << 6, span <= Int64(count + 1) * 32 else { return false }
        var grown = words
        while Int64(grown) << 6 < span { grown *= 2 }
        // Grow on the side the key is on, so a range counting down grows as well as one counting up.
        var newBase = base
        if key < base {
            let (lowered, underflow) = end.subtractingReportingOverflow(Int64(grown << 6))
            guard !underflow else { return false }
            newBase = lowered
        }
        guard newBase <= Int64.max - Int64(grown << 6) else { return false }
        let shiftWords = Int((base - newBase) >> 6)
        let fresh = UnsafeMutablePointer<UInt64>.allocate(capacity: grown)
        fresh.initialize(repeating: 0, count: grown)
        (fresh + shiftWords).update(from: bits!, count: words)
        bits!.deallocate()
        bits = fresh
        base = newBase
        words = grown
        return true
    }

    func deallocate() { bits?.deallocate() }
}

/// Hashing for the key sets: a 64-bit finalizer (MurmurHash3's) and a word-at-a-time hash of byte strings.
enum KeyHash {
    @inline(__always)
    static func mix(_ value: UInt64) -> UInt64 {
        var hash = value
        hash ^= hash >> 33
        hash &*= 0xff51_afd7_ed55_8ccd
        hash ^= hash >> 33
        hash &*= 0xc4ce_b9fe_1a85_ec53
        hash ^= hash >> 33
        return hash
    }

    /// Seeded per process, so no file can be crafted to collide everywhere.
    static let seed = UInt64.random(in: 1...UInt64.max)

    static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
        var hash = seed ^ UInt64(bytes.count)
        guard let base = bytes.baseAddress else { return mix(hash) }
        var offset = 0
        while offset + 8 <= bytes.count {
            hash = (hash ^ base.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* 0x9E37_79B9_7F4A_7C15
            hash ^= hash >> 29
            offset += 8
        }
        var tail: UInt64 = 0
        var shift: UInt64 = 0
        while offset < bytes.count {
            tail |= UInt64(base.load(fromByteOffset: offset, as: UInt8.self)) << shift
            shift += 8
            offset += 1
        }
        return mix(hash ^ tail)
    }
}
