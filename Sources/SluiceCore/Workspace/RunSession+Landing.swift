import Foundation

/// A step that the landing gate failed: one of its outputs fails a check judged beside what lands with it.
public struct LandingRefusal: Sendable, Hashable {
    public var step: String
    public var message: String
}

extension RunSession {
    /// Lands a run whose every step ended well: judges the `references` of what lands together (an output that
    /// fails fails the step that wrote it, and nothing lands), keeps every output in the saved record, then
    /// commits by compare-and-swap and, for a protected target, publishes by promotion and drops the staging
    /// environment. Returns the steps refused (the run is failed by the caller) or, when empty, `run` has
    /// succeeded. A failure to land marks `run` failed and is rethrown.
    public func land(_ run: inout RunRecord, produced: [DatasetName: ObjectID]) async throws -> [LandingRefusal] {
        guard let record = environment else { throw InternalError("a detached run has no environment to land in") }
        let refusals = try await judgeLanding(run, produced: produced)
        for refusal in refusals {
            run.update(refusal.step) {
                $0.status = .failed
                $0.message = refusal.message
            }
        }
        guard refusals.isEmpty else { return refusals }
        // Every output is in the saved record before anything lands: a collection running meanwhile keeps them.
        try await save(run)
        do {
            try await commit(&run, produced: produced, record: record)
            run.status = .succeeded
        } catch {
            run.status = .failed
            run.message = "\(error)"
            throw error
        }
        return []
    }

    private func commit(
        _ run: inout RunRecord, produced: [DatasetName: ObjectID], record: EnvironmentRecord
    ) async throws {
        let staging = RunStagingService(context: context)
        if let head, produced.allSatisfy({ head.version(of: $0.key) == $0.value }) {
            // Every output is already what the environment holds: nothing to land, and a staging environment
            // has nothing to publish, so it goes now.
            run.commit = head.id
            run.message = "outputs unchanged; \(run.environment) did not move"
            if protected { try await staging.endStaging(record.name) }
            return
        }
        let commit = try await staging.landRun(produced, environment: record, base: head, run: run)
        run.commit = commit.id
        guard protected else { return }
        // Publish: every step and gate passed in staging; the target fast-forwards to it.
        let promotion = try await PromotionService(context: context).promote(from: record.name, to: run.environment)
        run.commit = promotion.commit
        run.message = "published from \(record.name)"
        try await staging.endStaging(record.name)
    }

    /// The `references` of the outputs landing together, judged beside each other (`LandingService`).
    private func judgeLanding(_ run: RunRecord, produced: [DatasetName: ObjectID]) async throws -> [LandingRefusal] {
        var outputs: [DatasetName: (version: ObjectID, reused: Bool)] = [:]
        var writer: [DatasetName: String] = [:]
        for step in run.steps {
            for (dataset, version) in step.outputs {
                guard let name = DatasetName(dataset), produced[name] == version else { continue }
                outputs[name] = (version, step.status != .succeeded)
                writer[name] = step.step
            }
        }
        let landing = (head?.content.datasets ?? [:]).merging(
            produced.map { ($0.key.description, $0.value) }, uniquingKeysWith: { $1 })
        let failures = try await LandingService(context: context).checkLanding(
            outputs, landing: landing, runID: run.id)
        return failures.sorted { $0.key.description < $1.key.description }.compactMap { dataset, reason in
            writer[dataset].map {
                LandingRefusal(step: $0, message: "its output \(dataset) failed the quality gate: \(reason)")
            }
        }
    }
}
