import Foundation

/// The cross-reference rules of a project: names resolve, the step graph is a forward-flowing DAG with one
/// writer per dataset, everything has an owner, a classification and a lifecycle, and named files exist.
struct ProjectValidator {
    let project: Project
    let sink: DiagnosticCollector
    let files: any ProjectFileReader

    func validate() {
        checkZonesAndLifecycles()
        checkDatasets()
        checkSources()
        checkAccess()
        checkSteps()
        checkWriters()
        checkCycles()
        checkSchedules()
        checkAlerts()
    }

    /// Alert rules name pipelines and datasets that exist, and only those their condition is about.
    private func checkAlerts() {
        for rule in project.alerts.rules {
            for pipeline in rule.pipelines where project.pipelines[pipeline] == nil {
                sink.error(
                    rule.location, "alert rule \(rule.name) names the unknown pipeline \(NameRules.quoted(pipeline))")
            }
            for dataset in rule.datasets where project.datasets[dataset] == nil {
                sink.error(rule.location, "alert rule \(rule.name) names the unknown dataset \(dataset)")
            }
            let subject: String
            switch rule.condition {
            case .runFailed, .runSlow: subject = "pipelines"
            case .gateFailed, .gateWarned, .quarantineShare, .freshness: subject = "datasets"
            case .gcFailed, .environmentExpiring, .protectedDenial: subject = "environments"
            }
            if subject != "pipelines" && !rule.pipelines.isEmpty || subject != "datasets" && !rule.datasets.isEmpty
                || rule.condition == .gcFailed && !rule.environments.isEmpty
            {
                sink.error(
                    rule.location,
                    "alert rule \(rule.name) (when: \(rule.condition.keyword)) can only be narrowed by \(rule.condition == .gcFailed ? "nothing" : subject == "environments" ? "environments" : "\(subject) and environments")"
                )
            }
        }
    }

    /// A schedule fires only when the service knows whom to run it as.
    private func checkSchedules() {
        guard project.serviceRunAs == nil else { return }
        for pipeline in project.pipelines.values.sorted(by: { $0.name < $1.name }) where pipeline.cron != nil {
            sink.warning(
                pipeline.location,
                "pipeline \(pipeline.name) has a schedule, but no principal is named to run it; declare service: { run_as: ci }"
            )
        }
    }

    private func checkZonesAndLifecycles() {
        for zone in project.zones where zone.lifecycle == nil {
            sink.error(zone.location, "zone \(zone.name) has no lifecycle; add lifecycle: { keep: forever } or limits")
        }
        if project.environments.isEmpty {
            sink.error(
                project.location,
                "the project declares no environments; add at least environments: { dev: { lifecycle: ... } }")
        }
        for spec in project.environments where spec.effectiveLifecycle == nil {
            sink.error(
                spec.location,
                "environment \(spec.pattern) has no lifecycle; add lifecycle: { expire_after_idle: 30d } (or mark it protected)"
            )
        }
        // What sources hold back and what pipelines leave behind have lifecycles too.
        if !project.sources.isEmpty && project.quarantineLifecycle == nil {
            sink.error(
                project.location,
                "quarantined batches have no lifecycle; add quarantine: { lifecycle: { keep_days: 30 } }")
        }
        if !project.pipelines.isEmpty && project.runsLifecycle == nil {
            sink.error(
                project.location,
                "run records and their logs have no lifecycle; add runs: { lifecycle: { keep_days: 90 } }")
        }
        if !project.environments.isEmpty && project.environmentSpec(for: project.defaultEnvironment) == nil {
            sink.error(
                project.location,
                "default environment \(project.defaultEnvironment) matches no declared environment; declare it or set default_environment"
            )
        }
    }

    private func checkDatasets() {
        for dataset in project.datasets.values {
            if project.zone(named: dataset.name.zone) == nil {
                sink.error(
                    dataset.location,
                    "dataset \(dataset.name) is in zone \(dataset.name.zone), which is not declared (zones: \(zoneList))"
                )
            }
            if dataset.owner == nil {
                sink.error(dataset.location, "dataset \(dataset.name) has no owner; add owner: (a team or e-mail)")
            }
            if dataset.classification == nil {
                sink.error(
                    dataset.location,
                    "dataset \(dataset.name) has no classification; add classification: public, internal, confidential or restricted"
                )
            }
            if project.zone(named: dataset.name.zone) != nil && project.lifecycle(of: dataset.name) == nil {
                sink.error(dataset.location, "dataset \(dataset.name) has no lifecycle and its zone gives none")
            }
            for check in dataset.checks {
                guard case .references(_, let target, let targetColumn) = check.kind else { continue }
                guard let targetDataset = project.datasets[target] else {
                    sink.error(
                        check.location,
                        "references check of \(dataset.name) names dataset \(target), which is not declared")
                    continue
                }
                if !targetDataset.columns.isEmpty && !targetDataset.columns.contains(where: { $0.name == targetColumn })
                {
                    sink.error(
                        check.location,
                        "references check of \(dataset.name) names column \(targetColumn), which \(target) does not declare"
                    )
                }
            }
        }
    }

    private var zoneList: String { project.zones.map(\.name).joined(separator: ", ") }

    private func checkSources() {
        for source in project.sources.values {
            guard project.datasets[source.into] != nil else {
                sink.error(
                    source.location, "source \(source.name) feeds \(source.into), which is not a declared dataset")
                continue
            }
            if let first = project.firstZone, source.into.zone != first.name {
                sink.error(
                    source.location,
                    "source \(source.name) feeds \(source.into), but ingestion writes only the first zone (\(first.name))"
                )
            }
        }
    }

    private func checkAccess() {
        for principal in project.principals.values where project.roles[principal.role] == nil {
            sink.error(
                principal.roleLocation,
                "principal \(principal.name) has role \(principal.role), which is not declared (roles: \(project.roles.keys.sorted().joined(separator: ", ")))"
            )
        }
        for role in project.roles.values {
            for grant in role.grants {
                if !grantResolves(grant.environment) {
                    sink.error(
                        role.location,
                        "role \(role.name) grants \(grant) on environment \(grant.environment), which matches no declared environment"
                    )
                }
                if let zone = grant.zone, project.zone(named: zone) == nil {
                    sink.error(
                        role.location,
                        "role \(role.name) grants \(grant) on zone \(zone), which is not declared (zones: \(zoneList))")
                }
            }
        }
    }

    private func grantResolves(_ pattern: EnvironmentPattern) -> Bool {
        if pattern.text == "*" { return true }
        return project.environments.contains { spec in
            spec.pattern == pattern || spec.pattern.matches(pattern.text)
                || (spec.pattern.isConcrete && pattern.matches(spec.pattern.text))
        }
    }

    private func checkSteps() {
        let firstZone = project.firstZone
        for pipeline in project.pipelines.values {
            for step in pipeline.steps {
                let what = "step \(pipeline.name).\(step.name)"
                for dataset in step.inputs + step.outputs where project.datasets[dataset] == nil {
                    sink.error(
                        step.referenceLocations[dataset] ?? step.location,
                        "\(what) names dataset \(dataset), which is not declared")
                }
                let inputOrders = step.inputs.compactMap { project.zone(named: $0.zone) }
                for output in step.outputs {
                    guard let zone = project.zone(named: output.zone) else { continue }
                    let location = step.referenceLocations[output] ?? step.location
                    if zone.name == firstZone?.name {
                        sink.error(
                            location,
                            "\(what) writes \(output) in the first zone \(zone.name); only ingestion writes it")
                    }
                    if let later = inputOrders.first(where: { $0.order > zone.order }) {
                        sink.error(
                            location,
                            "\(what) writes \(output) in zone \(zone.name) from zone \(later.name); data only flows forward (\(zoneList))"
                        )
                    }
                }
                checkFiles(of: step, what: what)
                checkTests(of: step, what: what)
                for name in step.after where !pipeline.steps.contains(where: { $0.name == name }) {
                    sink.error(
                        step.location,
                        "\(what) runs after \(NameRules.quoted(name)), which is not a step of \(pipeline.name)")
                }
            }
        }
    }

    private func checkTests(of step: Step, what: String) {
        if step.tests.isEmpty {
            let message = "\(what) has no tests; add tests: [{ inputs: {...}, expect: {...} }] and run sluice test"
            if project.requireTests {
                sink.error(step.location, message + " (the project sets require_tests: true)")
            } else {
                sink.warning(step.location, message)
            }
        }
        for test in step.tests {
            for file in Array(test.inputs.values) + Array(test.expected.values)
            where files.kindFollowingLinks(of: project.root.appendingPathComponent(file).path) == nil {
                sink.error(test.location, "test \(test.name) of \(what) names \(file), which does not exist")
            }
        }
    }

    private func checkFiles(of step: Step, what: String) {
        func exists(_ path: String) -> Bool {
            files.kindFollowingLinks(of: project.root.appendingPathComponent(path).path) != nil
        }
        switch step.kind {
        case .sql(let file):
            if !exists(file) { sink.error(step.location, "\(what) runs SQL file \(file), which does not exist") }
        case .command(let arguments):
            // Arguments that point into a project folder (scripts/x.py) must name existing files.
            for argument in arguments
            where !argument.hasPrefix("/") && !argument.hasPrefix("-") && argument.contains("/") {
                let folder = String(argument.split(separator: "/")[0])
                let inProject = files.kindFollowingLinks(of: project.root.appendingPathComponent(folder).path)
                if (inProject == .directory || argument.hasPrefix("./")) && !exists(argument) {
                    sink.error(step.location, "\(what) runs \(argument), which does not exist")
                }
            }
        }
    }

    private func checkWriters() {
        for (dataset, writers) in project.writers() where writers.count > 1 {
            let location = project.datasets[dataset]?.location ?? project.location
            sink.error(
                location,
                "dataset \(dataset) has \(writers.count) writers (\(writers.joined(separator: ", "))); each dataset has exactly one"
            )
        }
        let written = project.writers()
        for dataset in project.datasets.values where written[dataset.name] == nil {
            sink.warning(
                dataset.location, "nothing writes dataset \(dataset.name) (no source or step names it as output)")
        }
    }

    private func checkCycles() {
        // Orderings by after: — the dataset cycles are reported below with the datasets involved.
        for pipeline in project.pipelines.values.sorted(by: { $0.name < $1.name })
        where pipeline.steps.contains(where: { !$0.after.isEmpty }) {
            do {
                _ = try StepGraph(pipeline)
            } catch let error as UsageError where error.message.contains("has a cycle") {
                sink.error(pipeline.location, error.message)
            } catch {}
        }
        var producers: [DatasetName: (pipeline: String, step: Step)] = [:]
        for pipeline in project.pipelines.values {
            for step in pipeline.steps {
                for output in step.outputs { producers[output] = (pipeline.name, step) }
            }
        }
        var state: [DatasetName: Bool] = [:]  // false: on the stack, true: done
        var stack: [DatasetName] = []
        var reported = Set<String>()
        func visit(_ dataset: DatasetName) {
            if state[dataset] == true { return }
            if state[dataset] == false {
                let cycle = Array((stack.drop { $0 != dataset } + [dataset]).reversed())
                let key = Set(cycle.map(\.description)).sorted().joined(separator: ",")
                guard reported.insert(key).inserted, let producer = producers[dataset] else { return }
                sink.error(
                    producer.step.location,
                    "the step graph has a cycle: \(cycle.map(\.description).joined(separator: " → "))")
                return
            }
            state[dataset] = false
            stack.append(dataset)
            for input in producers[dataset]?.step.inputs ?? [] { visit(input) }
            stack.removeLast()
            state[dataset] = true
        }
        for dataset in producers.keys.sorted() { visit(dataset) }
    }
}
