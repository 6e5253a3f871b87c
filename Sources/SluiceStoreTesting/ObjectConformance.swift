import Foundation
import SluiceCore

/// The contract every `ObjectStore` backend meets, as checks a backend's tests run, each on a fresh store:
/// staged bytes invisible until published, ranged reads of stored and staged bytes, content stored once (also
/// when writers publish it at once), abandoned and dead writers' bytes never visible, and the inventory and
/// deletion. Garbage collection's safety is checked with the metadata (`MetadataConformance`), which holds it.
public enum ObjectConformance {
    public static let checks: [ConformanceCheck<any ObjectStore>] = [
        ConformanceCheck("stagedObjectsAreInvisibleUntilPublished") {
            try await stagedObjectsAreInvisibleUntilPublished($0)
        },
        ConformanceCheck("rangedReadsReturnExactlyTheRange") { try await rangedReadsReturnExactlyTheRange($0) },
        ConformanceCheck("aMissingObjectFailsItsFirstRead") { try await aMissingObjectFailsItsFirstRead($0) },
        ConformanceCheck("identicalContentIsStoredOnce") { try await identicalContentIsStoredOnce($0) },
        ConformanceCheck("concurrentPublishersOfTheSameBytesAllSucceed") {
            try await concurrentPublishersOfTheSameBytesAllSucceed($0)
        },
        ConformanceCheck("manyObjectsPublishInOneBatch") { try await manyObjectsPublishInOneBatch($0) },
        ConformanceCheck("abandonedWritesLeaveNothing") { try await abandonedWritesLeaveNothing($0) },
        ConformanceCheck("discardedStagedBytesCannotBePublished") {
            try await discardedStagedBytesCannotBePublished($0)
        },
        ConformanceCheck("aDeadWritersStagedBytesAreSweptNotPublished") {
            try await aDeadWritersStagedBytesAreSweptNotPublished($0)
        },
        ConformanceCheck("inventoryListsSizesAndDeleteRemoves") { try await inventoryListsSizesAndDeleteRemoves($0) },
    ]
}
