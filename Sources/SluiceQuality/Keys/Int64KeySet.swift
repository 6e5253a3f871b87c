import CSluiceSystem

/// A set of 64-bit keys in one flat table (open addressing, linear probing): 8 bytes a slot and no
/// allocation per key, so uniqueness over tens of millions of ids stays small and fast.
final class Int64KeySet: @unchecked Sendable {
    private var slots: UnsafeMutablePointer<Int64>
    private var capacity: Int
    private var shift: Int
    private(set) var count = 0
    /// Whether the key equal to the empty-slot marker is in the set (it cannot live in a slot).
    private var hasMarkerKey = false
    private static let empty = Int64.min

    init(minimumCapacity: Int = 0) {
        capacity = 1024
        while capacity * 7 / 10 < minimumCapacity { capacity *= 2 }
        shift = 64 - capacity.trailingZeroBitCount
        slots = .allocate(capacity: capacity)
        slots.initialize(repeating: Self.empty, count: capacity)
    }

    deinit { slots.deallocate() }

    /// Bytes the table occupies.
    var memoryBytes: Int { capacity * 8 }

    @inline(__always)
    private func home(_ key: Int64) -> Int {
        Int(truncatingIfNeeded: KeyHash.mix(UInt64(bitPattern: key)) >> UInt64(shift))
    }

    /// Adds `key`; `false` when it was already there.
    @discardableResult
    func insert(_ key: Int64) -> Bool {
        if key == Self.empty {
            defer { hasMarkerKey = true }
            return !hasMarkerKey
        }
        reserve(count + 1)
        return place(key)
    }

    func contains(_ key: Int64) -> Bool {
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
    /// the set or earlier in `keys`). Looks a few keys ahead so their cache misses overlap.
    func insert(_ keys: UnsafeBufferPointer<Int64>, duplicate: (Int) -> Void) {
        reserve(count + keys.count)
        let lookahead = 8
        for position in keys.indices {
            if position + lookahead < keys.count {
                let ahead = keys[position + lookahead]
                sluice_prefetch(slots + home(ahead))
            }
            let key = keys[position]
            let inserted: Bool
            if key == Self.empty {
                inserted = !hasMarkerKey
                hasMarkerKey = true
            } else {
                inserted = place(key)
            }
            if !inserted { duplicate(position) }
        }
    }

    @inline(__always)
    private func place(_ key: Int64) -> Bool {
        var index = home(key)
        let mask = capacity - 1
        while true {
            let value = slots[index]
            if value == Self.empty {
                slots[index] = key
                count += 1
                return true
            }
            if value == key { return false }
            index = (index + 1) & mask
        }
    }

    /// Grows the table (to keep it at most 70 % full) before `total` keys are in it.
    func reserve(_ total: Int) {
        guard total > capacity * 7 / 10 else { return }
        var grown = capacity * 2
        while grown * 7 / 10 < total { grown *= 2 }
        let old = slots
        let oldCapacity = capacity
        capacity = grown
        shift = 64 - grown.trailingZeroBitCount
        slots = .allocate(capacity: grown)
        slots.initialize(repeating: Self.empty, count: grown)
        count = 0
        for index in 0..<oldCapacity where old[index] != Self.empty { _ = place(old[index]) }
        old.deallocate()
    }
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
