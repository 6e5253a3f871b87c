import Foundation

/// The checks a run makes on what lands together: `references` between datasets that the same run writes
/// are judged against the versions landing in the same commit, not against what the environment held.
/// The gate on what a run lands: its outputs checked against their contracts before they are committed.
struct LandingService: UseCase {
    let context: EngineContext

    /// Checks again, against the datasets of the commit a run is about to make (`landing`), the `references`
    /// checks of the run's outputs that could not be judged when their step ended: those whose target the
    /// run also writes, and every one of an output reused from an earlier run. Keeps each result; returns, by
    /// dataset, why an output fails (an error-severity check), or an empty dictionary when all may land.
    func checkLanding(
        _ outputs: [DatasetName: (version: ObjectID, reused: Bool)], landing: [String: ObjectID], runID: String
    ) async throws -> [DatasetName: String] {
        var failures: [DatasetName: String] = [:]
        let written = Set(outputs.keys)
        for (name, output) in outputs.sorted(by: { $0.key.description < $1.key.description }) {
            guard let declared = project.datasets[name] else { continue }
            let checks = declared.checks.filter { check in
                guard case .references(_, let target, _) = check.kind else { return false }
                return output.reused || written.contains(target)
            }
            guard !checks.isEmpty, let gate else { continue }
            var contract = declared
            contract.checks = checks
            let report = try await validateStored(
                contract, version: output.version,
                references: try await GateService(context: context).referenceValues(
                    for: contract, in: landing, gate: gate), gate: gate)
            let passed = report.batchProblems.isEmpty && report.invalidRows == 0
            try await saveCheckRun(
                CheckRun(
                    id: UUID().uuidString.lowercased(), dataset: name, environment: "run \(runID)",
                    version: passed ? output.version : nil, quarantine: nil,
                    origin: "run \(runID): checked beside the outputs landing with it", passed: passed, report: report,
                    at: now(), contractDigest: declared.contractDigest, gitCommit: await recordedGitCommit()))
            if !passed {
                let failed = report.failedChecks.map(\.id) + report.batchProblems
                failures[name] =
                    "checked beside the outputs landing with it, \(failed.joined(separator: ", ")) fails "
                    + "(\(report.invalidRows) rows)\n\(report.summary)"
            }
        }
        return failures
    }

    /// Judges `name`'s `references` checks again, on `version`, against the versions that stand with it in
    /// `versions` (a commit's datasets). Keeps the result as a gate result of `environment` that vouches for
    /// no version; returns why it fails (naming the checks, the rows and the datasets), or `nil`.
    func referencesProblem(
        _ name: DatasetName, version: ObjectID, standingWith versions: [String: ObjectID], environment: String,
        origin: String
    ) async throws -> String? {
        guard var contract = project.datasets[name], let gate else { return nil }
        // Only the references: each column read as its type, nothing else judged again.
        contract.checks = contract.checks.filter {
            guard case .references = $0.kind else { return false }
            return true
        }
        guard !contract.checks.isEmpty else { return nil }
        contract.columns = contract.columns.map { column in
            var typed = ColumnSpec(name: column.name, type: column.type, location: column.location)
            typed.format = column.format
            typed.severity = .warn
            return typed
        }
        let report = try await validateStored(
            contract, version: version,
            references: try await GateService(context: context).referenceValues(
                for: contract, in: versions, gate: gate), gate: gate)
        let passed = report.batchProblems.isEmpty && report.invalidRows == 0
        try await saveCheckRun(
            CheckRun(
                id: UUID().uuidString.lowercased(), dataset: name, environment: environment, version: nil,
                quarantine: nil, origin: origin, passed: passed, report: report, at: now(),
                contractDigest: project.datasets[name]?.contractDigest, gitCommit: await recordedGitCommit()))
        guard !passed else { return nil }
        let targets = Set(
            contract.checks.compactMap { check -> String? in
                guard case .references(_, let target, _) = check.kind else { return nil }
                return "\(target) @ \(versions[target.description]?.short ?? "absent")"
            }
        ).sorted()
        let failed = report.failedChecks.map(\.id) + report.batchProblems
        return "\(failed.joined(separator: ", ")) fails against \(targets.joined(separator: ", ")) "
            + "(\(report.invalidRows) of \(report.rows) rows)\n\(report.summary)"
    }

    /// Streams a stored version through `contract` (nothing is delivered back but the report).
    func validateStored(
        _ contract: Dataset, version id: ObjectID, references: [String: Set<String>?], gate: any QualityGate
    ) async throws -> ValidationReport {
        guard let version = try await metadata.version(id) else {
            throw InternalError("version \(id.short) is missing from the store; run sluice verify")
        }
        let files = try await GateService(context: context).storedGateFiles(version)
        let delimiter = project.sources.values.first { $0.into == contract.name }?.delimiter ?? UInt8(ascii: ",")
        return try await Blocking.run {
            try gate.validate(
                dataset: contract, format: version.manifest.format, delimiter: delimiter, files: files,
                references: references, now: now(), rows: .none, onHeader: { _, _ in }, onRow: { _ in })
        }
    }
}
