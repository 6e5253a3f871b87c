/// Walks commit history through the metadata store.
struct CommitGraph {
    let metadata: any MetadataStore

    /// Every commit reachable from `head` (itself included), with its distance in commits.
    func ancestors(of head: ObjectID) async throws -> [ObjectID: Int] {
        var depth: [ObjectID: Int] = [head: 0]
        var queue = [head]
        var index = 0
        while index < queue.count {
            let id = queue[index]
            index += 1
            guard let commit = try await metadata.commit(id) else {
                throw InternalError("commit \(id.short) is missing from the store; run sluice verify")
            }
            for parent in commit.content.parents where depth[parent] == nil {
                depth[parent] = depth[id]! + 1
                queue.append(parent)
            }
        }
        return depth
    }

    /// The nearest commit both heads descend from.
    func mergeBase(_ a: ObjectID, _ b: ObjectID) async throws -> ObjectID? {
        let fromA = try await ancestors(of: a)
        let fromB = try await ancestors(of: b)
        return fromA.keys.filter { fromB[$0] != nil }.min { (fromA[$0]! + fromB[$0]!) < (fromA[$1]! + fromB[$1]!) }
    }

    /// Commits from `head` back along first parents, newest first: a page of the store's at a time.
    func firstParentHistory(from head: ObjectID?, limit: Int) async throws -> [Commit] {
        guard let head else { return [] }
        var result: [Commit] = []
        var after: String?
        repeat {
            let page = try await metadata.firstParentHistory(
                from: head, page: PageRequest(limit: min(PageRequest.maximumLimit, limit - result.count), after: after))
            result += page.items
            after = page.next
        } while after != nil && result.count < limit
        return result
    }
}
