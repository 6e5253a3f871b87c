/// What a run record says about one version a step made: which run, which step, under which cache key.
/// A version's lineage record must agree with a claim of a sealed run record before anything trusts it.
public struct LineageClaim: Hashable, Sendable {
    public var version: ObjectID
    public var runID: String
    public var step: String
    public var cacheKey: String?

    public init(version: ObjectID, runID: String, step: String, cacheKey: String?) {
        self.version = version
        self.runID = runID
        self.step = step
        self.cacheKey = cacheKey
    }

    public init(_ lineage: LineageRecord) {
        self.init(version: lineage.version, runID: lineage.runID, step: lineage.step, cacheKey: lineage.cacheKey)
    }

    /// The versions every succeeded step of `run` made.
    public static func all(of run: RunRecord) -> [LineageClaim] {
        run.steps.filter { $0.status == .succeeded }.flatMap { step in
            step.outputs.values.map {
                LineageClaim(version: $0, runID: run.id, step: step.step, cacheKey: step.cacheKey)
            }
        }
    }
}
