/// A step run whose outputs a later run with the same cache key may reuse: the run that made them (the first
/// one, when that run had reused them too) and the outputs by dataset.
public struct CachedStep: Sendable, Hashable {
    public var run: String
    public var outputs: [String: ObjectID]

    public init(run: String, outputs: [String: ObjectID]) {
        self.run = run
        self.outputs = outputs
    }

    /// The newest step run in `runs` (newest first) of `step` with `key` that ended well with outputs: the rule
    /// every store's `cachedStep` answers by.
    public static func newest(_ step: String, key: String, in runs: [RunRecord]) -> CachedStep? {
        for run in runs {
            guard let found = run.step(step), let made = CachedStep(found, in: run), found.cacheKey == key else {
                continue
            }
            return made
        }
        return nil
    }

    /// What `step` of `run` leaves to the cache: `nil` unless it ended well (succeeded, cached or resumed) with a
    /// cache key and outputs.
    public init?(_ step: StepRun, in run: RunRecord) {
        guard step.cacheKey != nil, !step.outputs.isEmpty, [.succeeded, .cached, .resumed].contains(step.status)
        else { return nil }
        self.init(run: step.reusedFrom ?? run.id, outputs: step.outputs)
    }
}
