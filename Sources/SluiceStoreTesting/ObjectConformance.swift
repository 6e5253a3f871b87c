import Foundation
import SluiceCore

/// The contract every `ObjectStore` backend meets, as checks a backend's tests run, each on a fresh store:
/// staged bytes invisible until published, content stored once, abandoned writes leaving nothing, the inventory
/// and a deletion that spares what was written again after its cutoff.
public enum ObjectConformance {
    public static let checks: [ConformanceCheck<any ObjectStore>] = [
        ConformanceCheck("stagedObjectsAreInvisibleUntilPublished") {
            try await stagedObjectsAreInvisibleUntilPublished($0)
        },
        ConformanceCheck("identicalContentIsStoredOnce") { try await identicalContentIsStoredOnce($0) },
        ConformanceCheck("manyObjectsPublishInOneBatch") { try await manyObjectsPublishInOneBatch($0) },
        ConformanceCheck("abandonedWritesLeaveNothing") { try await abandonedWritesLeaveNothing($0) },
        ConformanceCheck("inventoryListsSizesAndWriteTimesAndDeleteRemoves") {
            try await inventoryListsSizesAndWriteTimesAndDeleteRemoves($0)
        },
        ConformanceCheck("anObjectWrittenAgainAfterTheCutoffIsNotDeleted") {
            try await anObjectWrittenAgainAfterTheCutoffIsNotDeleted($0)
        },
    ]
}
