#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A set of byte strings: keys copied once into an arena, and a flat table of 8-byte entries (arena
/// offset and a hash tag), so millions of text keys cost their bytes plus about 16 bytes each.
final class ByteKeySet: @unchecked Sendable {
    /// Entry: `(offset + 1) << 24 | tag`, 0 when empty.
    private var table: UnsafeMutablePointer<UInt64>
    private var capacity: Int
    private var arena: UnsafeMutableRawPointer
    private var arenaCapacity: Int
    private var arenaUsed = 0
    private(set) var count = 0

    init(minimumCapacity: Int = 0) {
        capacity = 256
        while capacity * 7 / 10 < minimumCapacity { capacity *= 2 }
        table = .allocate(capacity: capacity)
        table.initialize(repeating: 0, count: capacity)
        arenaCapacity = 64 << 10
        arena = .allocate(byteCount: arenaCapacity, alignment: 8)
    }

    convenience init<S: Sequence>(_ keys: S) where S.Element == String {
        self.init()
        for var key in keys { _ = key.withUTF8 { insert(UnsafeRawBufferPointer($0)) } }
    }

    deinit {
        table.deallocate()
        arena.deallocate()
    }

    /// Bytes the table and the arena occupy.
    var memoryBytes: Int { capacity * 8 + arenaCapacity }

    /// Adds `key`; `false` when it was already there.
    @discardableResult
    func insert(_ key: UnsafeRawBufferPointer) -> Bool {
        if (count + 1) > capacity * 7 / 10 { grow() }
        let hash = KeyHash.hash(key)
        let (index, found) = find(key, hash: hash)
        if found { return false }
        let offset = append(key)
        table[index] = UInt64(offset + 1) << 24 | (hash & 0xFF_FFFF)
        count += 1
        return true
    }

    func contains(_ key: UnsafeRawBufferPointer) -> Bool {
        find(key, hash: KeyHash.hash(key)).found
    }

    private func find(_ key: UnsafeRawBufferPointer, hash: UInt64) -> (index: Int, found: Bool) {
        let mask = capacity - 1
        var index = Int(truncatingIfNeeded: hash >> 24) & mask
        let tag = hash & 0xFF_FFFF
        while true {
            let entry = table[index]
            if entry == 0 { return (index, false) }
            if entry & 0xFF_FFFF == tag && equals(Int(entry >> 24) - 1, key) { return (index, true) }
            index = (index + 1) & mask
        }
    }

    private func equals(_ offset: Int, _ key: UnsafeRawBufferPointer) -> Bool {
        let length = Int(arena.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
        guard length == key.count else { return false }
        guard length > 0 else { return true }
        return memcmp(arena + offset + 4, key.baseAddress!, length) == 0
    }

    private func append(_ key: UnsafeRawBufferPointer) -> Int {
        let needed = arenaUsed + 4 + key.count
        if needed > arenaCapacity {
            var grown = arenaCapacity * 2
            while grown < needed { grown *= 2 }
            let bigger = UnsafeMutableRawPointer.allocate(byteCount: grown, alignment: 8)
            bigger.copyMemory(from: arena, byteCount: arenaUsed)
            arena.deallocate()
            arena = bigger
            arenaCapacity = grown
        }
        let offset = arenaUsed
        arena.storeBytes(of: UInt32(key.count), toByteOffset: offset, as: UInt32.self)
        if let base = key.baseAddress { (arena + offset + 4).copyMemory(from: base, byteCount: key.count) }
        arenaUsed = needed
        return offset
    }

    private func grow() {
        let old = table
        let oldCapacity = capacity
        capacity *= 2
        table = .allocate(capacity: capacity)
        table.initialize(repeating: 0, count: capacity)
        let mask = capacity - 1
        for slot in 0..<oldCapacity where old[slot] != 0 {
            let offset = Int(old[slot] >> 24) - 1
            let length = Int(arena.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
            let hash = KeyHash.hash(UnsafeRawBufferPointer(start: arena + offset + 4, count: length))
            var index = Int(truncatingIfNeeded: hash >> 24) & mask
            while table[index] != 0 { index = (index + 1) & mask }
            table[index] = old[slot]
        }
        old.deallocate()
    }
}
