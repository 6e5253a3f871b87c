/// How a dataset version was made: the step run, the versions it read, its cache key, and the code and
/// engine it ran with. Versions without one came from ingestion.
public struct LineageRecord: Sendable, Codable, Hashable {
    public var version: ObjectID
    public var dataset: DatasetName
    public var pipeline: String
    public var runID: String
    public var step: String
    public var environment: String
    /// Input dataset → the version the step read.
    public var inputs: [String: ObjectID]
    public var cacheKey: String
    public var gitCommit: String?
    public var engineVersion: String
    /// The SQL engine a sql step ran on, with its version (`duckdb v1.5.6 …`); `nil` for a command step.
    public var sqlEngine: String?
    public var startedAt: Timestamp
    public var endedAt: Timestamp

    public init(
        version: ObjectID, dataset: DatasetName, pipeline: String, runID: String, step: String, environment: String,
        inputs: [String: ObjectID], cacheKey: String, gitCommit: String?, sqlEngine: String? = nil,
        startedAt: Timestamp, endedAt: Timestamp
    ) {
        self.version = version
        self.dataset = dataset
        self.pipeline = pipeline
        self.runID = runID
        self.step = step
        self.environment = environment
        self.inputs = inputs
        self.cacheKey = cacheKey
        self.gitCommit = gitCommit
        self.engineVersion = EngineVersion.current
        self.sqlEngine = sqlEngine
        self.startedAt = startedAt
        self.endedAt = endedAt
    }
}
