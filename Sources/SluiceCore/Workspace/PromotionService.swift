import Foundation

/// What a promotion did.
public struct PromotionResult: Sendable, Codable, Hashable {
    public var from: String
    public var to: String
    public var previous: ObjectID?
    public var commit: ObjectID
    public var gitCommit: String
    /// `true` when the target was already at the source's head.
    public var upToDate: Bool
    public var datasets: [String]
}

/// Promotion: a gated, audited fast-forward of one environment to another.
public struct PromotionService: UseCase {
    public let context: EngineContext

    public init(context: EngineContext) { self.context = context }

    /// Moves `target` to `source`'s head commit (write-audit-publish's publish): only as a fast-forward,
    /// only from a clean git work tree, only by a principal holding `promote` on the target (with a token
    /// when the target is protected). Nothing is copied: a ref moves.
    public func promote(from source: String, to target: String) async throws -> PromotionResult {
        let source = try validEnvironmentName(source)
        let target = try validEnvironmentName(target)
        return try await audited("promote", target: target, details: ["from": source]) {
            // A name that is no environment is a usage error (exit 2), whoever asks.
            let to = try await environmentRecord(target)
            let from = try await environmentRecord(source)
            try await authorize(.environment(.promote, target), .environment(.read, source))
            guard source != target else { throw UsageError("cannot promote \(source) into itself") }
            let git = await self.git.state(of: project.root)
            guard let gitCommit = git.commit else {
                throw FailureError(
                    "promotion needs the project in git: \(project.root.path) is not in a git repository with a commit\n"
                        + "hint: git init && git add -A && git commit -m 'project'")
            }
            guard git.isClean else {
                let listed = git.changes.prefix(10).joined(separator: "\n  ")
                throw FailureError(
                    "the project's git work tree has uncommitted changes; promotion only accepts work from a clean tree:\n  \(listed)"
                        + (git.changes.count > 10 ? "\n  … and \(git.changes.count - 10) more" : "")
                        + "\nhint: commit or stash them, then promote again")
            }
            guard let head = from.head else {
                throw UsageError("\(source) holds no data yet; nothing to promote")
            }
            let plan = try await PromotionPlanner(metadata: metadata).plan(
                from: source, to: target, source: head, target: to.head)
            let names = plan.datasets.keys.sorted()
            switch plan.kind {
            case .upToDate:
                let current = to.head ?? head
                return (
                    PromotionResult(
                        from: source, to: target, previous: current, commit: current, gitCommit: gitCommit,
                        upToDate: true, datasets: names),
                    ["commit": current.hex, "git": gitCommit, "noop": "true"]
                )
            case .conflict:
                throw ConflictError(plan.conflictMessage)
            case .fastForward, .merge:
                break
            }
            let commit = try await promotedCommit(plan, gitCommit: gitCommit)
            try await requirePassingGates(
                commit, into: target, protected: policy.isProtected(target), gitCommit: gitCommit)
            if plan.kind == .merge { try await metadata.saveCommit(commit) }
            let details = [
                "commit": commit.id.hex, "previous": to.head?.hex ?? "empty", "git": gitCommit,
                "kind": plan.kind.rawValue,
            ]
            try await moveEnvironment(
                to, to: commit.id, reason: "promote from \(source)", gitCommit: gitCommit, details: details)
            try await metadata.touchEnvironment(source, at: now())
            let result = PromotionResult(
                from: source, to: target, previous: to.head, commit: commit.id, gitCommit: gitCommit, upToDate: false,
                datasets: names)
            return (result, details)
        }
    }

    /// The commit the target moves to: the source's head, or a merge commit of both heads.
    private func promotedCommit(_ plan: PromotionPlan, gitCommit: String) async throws -> Commit {
        guard plan.kind == .merge, let targetHead = plan.targetHead else {
            guard let head = try await metadata.commit(plan.sourceHead) else {
                throw InternalError("commit \(plan.sourceHead.short) is missing from the store; run sluice verify")
            }
            return head
        }
        return try Commit(
            CommitContent(
                parents: [targetHead, plan.sourceHead], datasets: plan.datasets, actor: identity.name,
                message: "promote \(plan.from) into \(plan.to) (merge)", gitCommit: gitCommit, createdAt: now()))
    }

    /// What promoting `source` into `target` would do; the same answer `promote` acts on.
    public func plan(from source: String, to target: String) async throws -> PromotionPlan {
        let source = try validEnvironmentName(source)
        let target = try validEnvironmentName(target)
        try await authorize(
            .environment(.read, source), .environment(.read, target), action: "promote.plan", target: target,
            details: ["from": source])
        guard let head = try await environmentRecord(source).head else {
            throw UsageError("\(source) holds no data yet; nothing to promote")
        }
        return try await PromotionPlanner(metadata: metadata).plan(
            from: source, to: target, source: head, target: try await environmentRecord(target).head)
    }

    /// Every dataset version being promoted must have passed its quality gate, and its `references` must hold
    /// against the versions promoted with it; names those that do not.
    /// Into a protected environment, each must also be trustworthy under the commit being promoted (the
    /// clean work tree): made by the code that commit holds, and judged against the contract it holds.
    private func requirePassingGates(
        _ commit: Commit, into target: String, protected: Bool, gitCommit: String
    ) async throws {
        var problems: [String] = []
        for (name, version) in commit.content.datasets.sorted(by: { $0.key < $1.key }) {
            guard let run = try await vouchedCheckRun(forVersion: version) else {
                problems.append("\(name) @ \(version.short): no quality gate result")
                continue
            }
            if !run.passed {
                let failed = run.report.failedChecks.map(\.id) + run.report.batchProblems
                problems.append("\(name) @ \(version.short): gate failed (\(failed.joined(separator: ", ")))")
                continue
            }
            guard let dataset = DatasetName(name) else { continue }
            // What references another dataset is judged against the version that will stand beside it.
            if let problem = try await LandingService(context: context).referencesProblem(
                dataset, version: version, standingWith: commit.content.datasets, environment: target,
                origin: "promote: references checked against the versions promoted with it")
            {
                problems.append("\(name) @ \(version.short): \(problem)")
                continue
            }
            guard protected else { continue }
            if let problem = try await provenanceProblem(dataset, version: version, gitCommit: gitCommit) {
                problems.append("\(name) @ \(version.short): \(problem)")
            } else if run.contractDigest != project.datasets[dataset]?.contractDigest,
                let problem = try await recheck(
                    dataset, version: version, in: commit, target: target, gitCommit: gitCommit)
            {
                problems.append("\(name) @ \(version.short): \(problem)")
            }
        }
        guard problems.isEmpty else {
            throw FailureError(
                "promotion refused: not every dataset passed its quality gate under git commit \(gitCommit.prefix(12)):\n  "
                    + problems.joined(separator: "\n  ")
                    + "\nhint: rebuild those datasets from the committed code (sluice run) or re-ingest them, then promote again"
            )
        }
    }

    /// Why a version made by a step cannot go into a protected environment under the committed code, or
    /// `nil`: a recorded cache key of a step run that made it (the key hashes the step's definition and
    /// every project file it names) must equal the key the same step computes now, on the clean tree, from
    /// the same inputs. Bytes a rebuild from the committed code made again count, whoever made them first.
    private func provenanceProblem(_ dataset: DatasetName, version: ObjectID, gitCommit: String) async throws -> String?
    {
        guard let lineage = try await metadata.lineage(of: version) else { return nil }  // ingested
        try await requireSealed(lineage)
        let made =
            "made by step \(lineage.pipeline).\(lineage.step) in run \(lineage.runID) at git \(lineage.gitCommit ?? "unknown")"
        guard let step = project.pipelines[lineage.pipeline]?.steps.first(where: { $0.name == lineage.step }) else {
            return "\(made), a step git commit \(gitCommit.prefix(12)) does not declare"
        }
        let key = try? CacheKey.compute(
            step: step, root: project.codeRoot, inputs: CacheKey.datasetInputs(lineage.inputs), files: files)
        if key == lineage.cacheKey { return nil }
        for run in try await metadata.runs(pipeline: lineage.pipeline) {
            guard let made = run.step(lineage.step), made.status == .succeeded,
                made.outputs[dataset.description] == version, let recorded = made.cacheKey,
                try await isSealed(run)
            else { continue }
            let key = try? CacheKey.compute(
                step: step, root: project.codeRoot, inputs: CacheKey.datasetInputs(made.inputs), files: files)
            if recorded == key { return nil }
        }
        return "\(made), by code that differs from git commit \(gitCommit.prefix(12))"
    }

    /// Trusts a lineage record only as its run's sealed record tells it (a run retention removed
    /// cannot be asked; its lineage stands; a run still publishing is asked unsealed); throws
    /// `TamperedRecord` otherwise.
    private func requireSealed(_ lineage: LineageRecord) async throws {
        guard let run = try await metadata.run(lineage.runID) else {
            if try await metadata.auditEvents(action: "gc.expire-run", target: lineage.runID).isEmpty {
                throw TamperedRecord("run \(lineage.runID), which made version \(lineage.version.short), is gone")
            }
            return
        }
        // A run publishing its own outputs has not ended yet: its record is not sealed until it does.
        let trusted: Bool
        if run.status == .running, try await metadata.auditEvents(action: "run.finish", target: run.id).isEmpty {
            trusted = true
        } else {
            trusted = try await isSealed(run)
        }
        guard trusted, LineageClaim.all(of: run).contains(LineageClaim(lineage)) else {
            throw TamperedRecord(
                "the lineage of version \(lineage.version.short) does not match the sealed record of run \(lineage.runID)"
            )
        }
    }

    /// Whether a run record is the one its `run.finish` event sealed.
    private func isSealed(_ run: RunRecord) async throws -> Bool {
        let digest = try await metadata.auditEvents(action: "run.finish", target: run.id).last?.draft.details["digest"]
        return digest == (try run.auditDigest())
    }

    /// Checks a stored version again against the contract of the commit being promoted (its references
    /// resolved in that commit); keeps the result; returns why it failed, or `nil`.
    private func recheck(
        _ dataset: DatasetName, version id: ObjectID, in commit: Commit, target: String, gitCommit: String
    ) async throws -> String? {
        guard let declared = project.datasets[dataset], let version = try await metadata.version(id) else {
            return "git commit \(gitCommit.prefix(12)) does not declare it"
        }
        var report = ValidationReport(
            dataset: dataset.description, files: version.manifest.files.map(\.name), rows: version.manifest.rows,
            validRows: version.manifest.rows, invalidRows: 0, batchProblems: [], checks: [], checkedAt: now())
        if !declared.columns.isEmpty || !declared.checks.isEmpty {
            guard let gate else { throw InternalError("this engine has no quality gate configured") }
            report = try await LandingService(context: context).validateStored(
                declared, version: id,
                references: try await GateService(context: context).referenceValues(
                    for: declared, in: commit.content.datasets, gate: gate),
                gate: gate)
        }
        let passed = report.batchProblems.isEmpty && report.invalidRows == 0
        try await saveCheckRun(
            CheckRun(
                id: UUID().uuidString.lowercased(), dataset: dataset, environment: target, version: passed ? id : nil,
                quarantine: nil, origin: "promote: checked again against git commit \(gitCommit.prefix(12))",
                passed: passed, report: report, at: now(), contractDigest: declared.contractDigest, gitCommit: gitCommit
            ))
        guard !passed else { return nil }
        let failed = report.failedChecks.map(\.id) + report.batchProblems
        return
            "judged against another contract, and checked again against git commit \(gitCommit.prefix(12)) it fails (\(failed.joined(separator: ", ")); \(report.invalidRows) invalid rows)"
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
