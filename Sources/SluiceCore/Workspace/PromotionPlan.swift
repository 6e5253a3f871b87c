/// What promoting one environment into another would do, computed once for `promote`, its dry look in the
/// UI's Compare and the API: a promotion is a merge at dataset granularity against the common ancestor commit.
/// Identical versions, or a dataset changed on one side only, merge; a dataset changed differently on both
/// sides is a conflict that names it and both versions, and nothing moves.
public struct PromotionPlan: Sendable, Codable, Hashable {
    public enum Kind: String, Sendable, Codable {
        /// The target already holds everything the source would bring.
        case upToDate = "up_to_date"
        /// The target's head is an ancestor of the source's: the target moves to it.
        case fastForward = "fast_forward"
        /// Both moved on: a merge commit with both heads as parents (recording the convergence even when no
        /// dataset changes).
        case merge
        /// A dataset changed differently on both sides: nothing moves.
        case conflict
    }

    /// One dataset whose version in the target changes (`nil`: absent before, or removed).
    public struct Change: Sendable, Codable, Hashable {
        public var dataset: String
        public var before: ObjectID?
        public var after: ObjectID?
    }

    /// One dataset changed on both sides since the common ancestor.
    public struct Conflict: Sendable, Codable, Hashable {
        public var dataset: String
        public var base: ObjectID?
        public var source: ObjectID?
        public var target: ObjectID?
    }

    public var kind: Kind
    public var from: String
    public var to: String
    public var sourceHead: ObjectID
    public var targetHead: ObjectID?
    public var base: ObjectID?
    /// The target's datasets after the promotion (its current ones for a conflict).
    public var datasets: [String: ObjectID]
    public var changes: [Change]
    public var conflicts: [Conflict]

    /// Why the promotion cannot happen, naming each conflicting dataset and its versions.
    public var conflictMessage: String {
        "\(from) and \(to) both changed "
            + conflicts.map {
                "\($0.dataset) (\(from): \($0.source?.short ?? "removed"), \(to): \($0.target?.short ?? "removed"), "
                    + "common ancestor: \($0.base?.short ?? "absent"))"
            }.joined(separator: ", ")
            + "\nhint: make both hold the same version (promote the other way, or rebuild it), or put \(from) back "
            + "on \(to) with sluice env reset \(from) --to \(to), then promote again"
    }
}

/// Computes `PromotionPlan`s from the commit graph.
struct PromotionPlanner {
    let metadata: any MetadataStore

    func plan(from: String, to: String, source: ObjectID, target: ObjectID?) async throws -> PromotionPlan {
        let sourceDatasets = try await datasets(of: source)
        let targetDatasets = try await target.asyncMap { try await datasets(of: $0) } ?? [:]
        var plan = PromotionPlan(
            kind: .upToDate, from: from, to: to, sourceHead: source, targetHead: target, base: nil,
            datasets: targetDatasets, changes: [], conflicts: [])
        guard let target, target != source else {
            if target == nil { fastForward(&plan, to: sourceDatasets) }
            return plan
        }
        let graph = CommitGraph(metadata: metadata)
        let fromSource = try await graph.ancestors(of: source)
        if fromSource[target] != nil {
            fastForward(&plan, to: sourceDatasets)
            return plan
        }
        if try await graph.ancestors(of: target)[source] != nil { return plan }
        plan.base = try await graph.mergeBase(source, target)
        let baseDatasets = try await plan.base.asyncMap { try await datasets(of: $0) } ?? [:]
        var merged: [String: ObjectID] = [:]
        for name in Set(sourceDatasets.keys).union(targetDatasets.keys).sorted() {
            let (b, s, t) = (baseDatasets[name], sourceDatasets[name], targetDatasets[name])
            if s == t || s == b {
                merged[name] = t
            } else if t == b {
                merged[name] = s
            } else {
                plan.conflicts.append(.init(dataset: name, base: b, source: s, target: t))
            }
        }
        if !plan.conflicts.isEmpty {
            plan.kind = .conflict
        } else {
            // A merge commit even when no dataset changes: it records that both sides converged, so the
            // next promotion's common ancestor is this source head, not the older one.
            plan.kind = .merge
            plan.datasets = merged
            plan.changes = Self.changes(from: targetDatasets, to: merged)
        }
        return plan
    }

    private func fastForward(_ plan: inout PromotionPlan, to datasets: [String: ObjectID]) {
        plan.changes = Self.changes(from: plan.datasets, to: datasets)
        plan.kind = .fastForward
        plan.datasets = datasets
    }

    private func datasets(of commit: ObjectID) async throws -> [String: ObjectID] {
        guard let found = try await metadata.commit(commit) else {
            throw InternalError("commit \(commit.short) is missing from the store; run sluice verify")
        }
        return found.content.datasets
    }

    static func changes(from before: [String: ObjectID], to after: [String: ObjectID]) -> [PromotionPlan.Change] {
        Set(before.keys).union(after.keys).sorted().compactMap { name in
            before[name] == after[name] ? nil : .init(dataset: name, before: before[name], after: after[name])
        }
    }
}
