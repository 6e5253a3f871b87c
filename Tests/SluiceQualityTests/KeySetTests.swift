import Foundation
import SluiceTestSupport
import Testing

@testable import SluiceQuality

/// The key sets must answer exactly as `Set` does, whichever mix of dense and sparse keys they see.
@Suite struct KeySetTests {
    /// Key streams that push the dense window each way: counting up, counting down, dense with outliers,
    /// random, clustered far apart, near the ends of `Int64` and the empty-slot marker itself.
    static func keys(_ shape: Int, seed: UInt64) -> [Int64] {
        var generator = SplitMix(seed: seed)
        func random(_ bound: UInt64) -> Int64 { Int64(generator.next() % bound) }
        switch shape {
        case 0: return (0..<200_000).map { Int64($0) + 1 } + (0..<50).map { _ in random(200_000) }
        case 1: return (0..<150_000).map { 500_000 - Int64($0) } + [500_000, 350_001, 350_000]
        case 2:
            return (0..<120_000).map { index in
                index % 97 == 0 ? Int64(bitPattern: generator.next()) : Int64(index) - 60_000 + random(3)
            }
        case 3: return (0..<100_000).map { _ in Int64(bitPattern: generator.next()) >> random(60) }
        case 4:
            return (0..<100_000).map { index in (index % 2 == 0 ? -1_000_000_000 : 7_000_000_000) + random(80_000) }
        default:
            return [Int64.min, Int64.max, Int64.min, Int64.min + 1, Int64.max - 1, Int64.max, 0, -1, -64, 63, 64]
                + (0..<70_000).map { _ in Int64.max - random(100_000) }
                + (0..<70_000).map { _ in Int64.min + random(100_000) }
        }
    }

    @Test(arguments: 0...5)
    func batchInsertReportsTheSameDuplicatesAsSet(_ shape: Int) {
        let keys = Self.keys(shape, seed: UInt64(shape) + 11)
        var model = Set<Int64>()
        let expected = keys.indices.filter { !model.insert(keys[$0]).inserted }
        let set = Int64KeySet()
        set.reserve(keys.count)
        var duplicates: [Int] = []
        // Several batches, as the merge hands them over one piece at a time.
        let batches = stride(from: 0, to: keys.count, by: 30_000)
        for start in batches {
            keys[start..<min(start + 30_000, keys.count)].withUnsafeBufferPointer { buffer in
                set.insert(buffer) { duplicates.append(start + $0) }
            }
        }
        // The first difference only: the whole lists would drown the failure message.
        let differs = zip(duplicates, expected).enumerated().first { $0.element.0 != $0.element.1 }?.offset
        #expect(differs == nil && duplicates.count == expected.count, "first difference at \(differs ?? -1)")
        #expect(set.count == model.count)
        var probe = SplitMix(seed: 99)
        for _ in 0..<5_000 {
            let key = keys[Int(probe.next() % UInt64(keys.count))] &+ Int64(probe.next() % 3) &- 1
            #expect(set.contains(key) == model.contains(key), "key \(key)")
        }
    }

    @Test func singleInsertsMatchSetAndDenseKeysStaySmall() {
        let set = Int64KeySet()
        var model = Set<Int64>()
        for key in Self.keys(0, seed: 5) { #expect(set.insert(key) == model.insert(key).inserted) }
        #expect(set.count == model.count)
        // 200,000 ids counting up take a bitmap of about 25 KiB, not a hash table of megabytes.
        #expect(set.memoryBytes < 64 << 10, "memory \(set.memoryBytes)")
    }

    /// Found by the differential suite: a first key near Int64.max left the window claiming a range it had no
    /// bitmap for, and the next insert crashed.
    @Test func keysAtTheEdgesOfInt64() {
        for first in [Int64.max, Int64.max - 1, Int64.max - 70_000, Int64.min, Int64.min + 1] {
            let set = Int64KeySet()
            var model = Set<Int64>()
            for key in [first, first, 0, Int64.max, Int64.min, first &- 1, 7] {
                #expect(set.insert(key) == model.insert(key).inserted, "\(first), then \(key)")
            }
            #expect(set.count == model.count)
            for key in model { #expect(set.contains(key)) }
        }
    }

    @Test func byteKeySetMatchesSet() {
        let set = ByteKeySet()
        var model = Set<[UInt8]>()
        var generator = SplitMix(seed: 3)
        for _ in 0..<50_000 {
            let length = Int(generator.next() % 24)
            let key = (0..<length).map { _ in UInt8(generator.next() % 4) }
            let inserted = key.withUnsafeBytes { set.insert($0) }
            #expect(inserted == model.insert(key).inserted, "key \(key)")
        }
    }
}
