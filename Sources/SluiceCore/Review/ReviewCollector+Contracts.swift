import Foundation

extension ReviewCollector {
    mutating func compareLifecycles() {
        for zone in Set(before.zones.map(\.name)).union(after.zones.map(\.name)).sorted() {
            lifecycle(
                "zone \(zone)", before.zone(named: zone)?.lifecycle, after.zone(named: zone)?.lifecycle,
                existed: before.zone(named: zone) != nil && after.zone(named: zone) != nil)
        }
        for name in Set(before.datasets.keys).intersection(after.datasets.keys).sorted()
        where before.datasets[name]?.lifecycle != nil || after.datasets[name]?.lifecycle != nil {
            lifecycle("dataset \(name)", before.lifecycle(of: name), after.lifecycle(of: name), existed: true)
        }
        let old = Dictionary(before.environments.map { ($0.pattern.text, $0) }) { $1 }
        let new = Dictionary(after.environments.map { ($0.pattern.text, $0) }) { $1 }
        for name in Set(old.keys).intersection(new.keys).sorted() {
            lifecycle(
                "environment \(name)", old[name]?.effectiveLifecycle, new[name]?.effectiveLifecycle, existed: true)
        }
        lifecycle("quarantine", before.quarantineLifecycle, after.quarantineLifecycle, existed: true)
        lifecycle("runs", before.runsLifecycle, after.runsLifecycle, existed: true)
    }

    /// A lifecycle that keeps less, or keeps for less long, than before (or that is gone).
    private mutating func lifecycle(_ subject: String, _ old: Lifecycle?, _ new: Lifecycle?, existed: Bool) {
        guard existed, let old else { return }
        guard let new else {
            add("lifecycle-removed", .risky, "\(subject) has no lifecycle any more (was \(old.summary))")
            return
        }
        var shorter: [String] = []
        if old.keepForever && !new.keepForever { shorter.append("no longer kept forever") }
        if !new.keepForever {
            shorter += less(
                "versions kept", old.keepVersions.map(Int64.init), new.keepVersions.map(Int64.init), old.keepForever)
            shorter += less("days kept", old.keepDays.map(Int64.init), new.keepDays.map(Int64.init), old.keepForever)
            shorter += sooner("idle expiry", old.expireAfterIdle, new.expireAfterIdle)
            shorter += sooner("expiry", old.expireAfter, new.expireAfter)
        }
        if !shorter.isEmpty {
            add(
                "lifecycle-shortened", .risky,
                "\(subject) lifecycle shortened: \(shorter.joined(separator: "; ")) (\(old.summary) → \(new.summary))")
        }
    }

    private func less(_ what: String, _ old: Int64?, _ new: Int64?, _ wasForever: Bool) -> [String] {
        guard let old, !wasForever else { return [] }
        guard let new else { return ["\(what) no longer set (was \(old))"] }
        return new < old ? ["\(what) \(new) (was \(old))"] : []
    }

    private func sooner(_ what: String, _ old: TimeSpan?, _ new: TimeSpan?) -> [String] {
        guard let new else { return [] }
        guard let old else { return ["\(what) after \(new) (was never)"] }
        return new < old ? ["\(what) after \(new) (was \(old))"] : []
    }

    mutating func compareContracts() {
        let risk: PolicyReview.Risk = after.environments.contains(where: \.protected) ? .blocking : .risky
        let target = after.environments.first(where: \.protected).map { "; it reaches \($0.pattern.text)" } ?? ""
        for name in Set(before.datasets.keys).intersection(after.datasets.keys).sorted() {
            guard let old = before.datasets[name], let new = after.datasets[name] else { continue }
            let loosened = Self.loosened(old, new)
            if !loosened.isEmpty {
                add(
                    "contract-loosened", risk,
                    "contract of \(name) loosened: \(loosened.joined(separator: "; "))\(target)")
            }
        }
    }

    static func loosened(_ old: Dataset, _ new: Dataset) -> [String] {
        var found: [String] = []
        let columns = Dictionary(new.columns.map { ($0.name, $0) }) { $1 }
        for column in old.columns {
            guard let now = columns[column.name] else {
                found.append("column \(column.name) no longer checked")
                continue
            }
            found += loosened(column, now).map { "\(column.name): \($0)" }
        }
        let checks = Dictionary(new.checks.map { (checkKey($0.kind), $0) }) { $1 }
        for check in old.checks {
            let key = checkKey(check.kind)
            guard let now = checks[key] else {
                found.append("check \(key) removed")
                continue
            }
            if check.severity == .error && now.severity == .warn { found.append("check \(key) only warns") }
            if case .rowCount(let oldMin, let oldMax) = check.kind, case .rowCount(let newMin, let newMax) = now.kind {
                found += widened(
                    "row_count", oldMin.map(Double.init), oldMax.map(Double.init), newMin.map(Double.init),
                    newMax.map(Double.init))
            }
        }
        if new.maxInvalidRatio > old.maxInvalidRatio {
            found.append("max_invalid_ratio \(new.maxInvalidRatio) (was \(old.maxInvalidRatio))")
        }
        if old.onInvalid == .reject && new.onInvalid == .quarantineRows {
            found.append("on_invalid quarantine_rows (was reject): batches with bad rows now land")
        }
        return found
    }

    static func loosened(_ old: ColumnSpec, _ new: ColumnSpec) -> [String] {
        var found: [String] = []
        if old.type != new.type { found.append("type \(new.type.rawValue) (was \(old.type.rawValue))") }
        if old.required && !new.required { found.append("no longer required") }
        if old.unique && !new.unique { found.append("no longer unique") }
        found += widened("range", old.min, old.max, new.min, new.max)
        found += widened(
            "length", old.minLength.map(Double.init), old.maxLength.map(Double.init), new.minLength.map(Double.init),
            new.maxLength.map(Double.init))
        if let pattern = old.pattern, new.pattern != pattern {
            found.append(new.pattern == nil ? "pattern removed" : "pattern changed")
        }
        if let accepted = old.accepted {
            if let now = new.accepted {
                let added = Set(now).subtracting(accepted).sorted()
                if !added.isEmpty { found.append("accepts \(added.joined(separator: ", ")) too") }
            } else {
                found.append("accepted values removed")
            }
        }
        if old.severity == .error && new.severity == .warn { found.append("only warns") }
        return found
    }

    /// A range `[min, max]` that grew: a lower minimum, a higher maximum, or a bound removed.
    static func widened(
        _ what: String, _ oldMin: Double?, _ oldMax: Double?, _ newMin: Double?, _ newMax: Double?
    )
        -> [String]
    {
        var found: [String] = []
        if let oldMin, newMin.map({ $0 < oldMin }) ?? true {
            found.append("\(what) minimum \(newMin.map { "\($0)" } ?? "removed") (was \(oldMin))")
        }
        if let oldMax, newMax.map({ $0 > oldMax }) ?? true {
            found.append("\(what) maximum \(newMax.map { "\($0)" } ?? "removed") (was \(oldMax))")
        }
        return found
    }

    static func checkKey(_ kind: TableCheckKind) -> String {
        switch kind {
        case .rowCount: "row_count"
        case .unique(let columns): "unique(\(columns.joined(separator: ", ")))"
        case .references(let column, let dataset, let target): "references(\(column) → \(dataset).\(target))"
        default: "\(kind)"
        }
    }

    mutating func compareWritePaths() {
        let old = writePaths(before)
        let target =
            after.environments.first(where: \.protected).map { " (it reaches \($0.pattern.text) when run there)" } ?? ""
        for path in writePaths(after).subtracting(old).sorted() {
            add("write-path-added", .risky, "new write path: \(path)\(target)")
        }
    }

    private func writePaths(_ project: Project) -> Set<String> {
        var paths = Set(project.sources.values.map { "source \($0.name) writes \($0.into)" })
        for pipeline in project.pipelines.values {
            for step in pipeline.steps {
                for output in step.outputs { paths.insert("step \(pipeline.name).\(step.name) writes \(output)") }
            }
        }
        return paths
    }
}
