import Foundation

/// What `sluice reproduce` found for each step run it re-derived.
public struct ReproducedStep: Sendable, Codable, Hashable {
    public var pipeline: String
    public var step: String
    public var dataset: String
    public var recorded: ObjectID
    public var reproduced: ObjectID?
    public var matches: Bool
    public var message: String?

    public init(
        pipeline: String, step: String, dataset: String, recorded: ObjectID, reproduced: ObjectID?, matches: Bool,
        message: String?
    ) {
        self.pipeline = pipeline
        self.step = step
        self.dataset = dataset
        self.recorded = recorded
        self.reproduced = reproduced
        self.matches = matches
        self.message = message
    }
}

public struct ReproduceResult: Sendable, Codable, Hashable {
    public var dataset: String
    public var version: ObjectID
    public var matches: Bool
    public var steps: [ReproducedStep]
    /// The first step whose output differed (or failed), when one did.
    public var firstDifference: String?

    public init(
        dataset: String, version: ObjectID, matches: Bool, steps: [ReproducedStep], firstDifference: String?
    ) {
        self.dataset = dataset
        self.version = version
        self.matches = matches
        self.steps = steps
        self.firstDifference = firstDifference
    }
}
