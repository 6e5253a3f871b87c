import SluiceCore

extension InMemoryMetadataStore {
    public func markWritten(_ ids: [ObjectID], at time: Timestamp) -> Set<ObjectID> {
        var busy = Set<ObjectID>()
        for id in ids {
            if let until = objectMarksByID[id]?.deletingUntil, until > time {
                busy.insert(id)
            } else {
                objectMarksByID[id] = ObjectMark(writtenAt: time)
            }
        }
        return busy
    }

    public func objectMarks() -> [ObjectID: Timestamp] {
        objectMarksByID.mapValues(\.writtenAt)
    }

    public func leaseForDeletion(
        _ ids: [ObjectID], writtenBefore cutoff: Timestamp, now: Timestamp, until: Timestamp
    )
        -> Set<ObjectID>
    {
        var leased = Set<ObjectID>()
        for id in ids {
            guard var mark = objectMarksByID[id], mark.writtenAt < cutoff, (mark.deletingUntil ?? now) <= now else {
                continue
            }
            mark.deletingUntil = until
            objectMarksByID[id] = mark
            leased.insert(id)
        }
        return leased
    }

    public func endDeletion(deleted: [ObjectID], kept: [ObjectID]) {
        for id in deleted { objectMarksByID[id] = nil }
        for id in kept { objectMarksByID[id]?.deletingUntil = nil }
    }
}

/// When an object was last written, and until when a collection holds it for deletion.
struct ObjectMark: Sendable {
    var writtenAt: Timestamp
    var deletingUntil: Timestamp?
}
