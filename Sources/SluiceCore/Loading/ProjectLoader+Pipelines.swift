import Foundation

extension ProjectLoader {
    func readPipelines(_ value: YAMLValue, into project: inout Project, sink: DiagnosticCollector) {
        guard let entries = value.entries("pipelines") else { return }
        for entry in entries {
            guard NameRules.isIdentifier(entry.key) else {
                sink.error(
                    entry.keyLocation,
                    "pipeline name \(NameRules.quoted(entry.key)) must be lower-case letters, digits, _ and -, starting with a letter"
                )
                continue
            }
            if let existing = project.pipelines[entry.key] {
                sink.error(entry.keyLocation, "pipeline \(entry.key) is already declared at \(existing.location)")
                continue
            }
            let fields =
                entry.value.fields(
                    "pipeline \(entry.key)",
                    allowed: ["schedule", "timezone", "environment", "on", "overlap", "steps", "description"])
                ?? [:]
            let schedule = fields["schedule"].flatMap { $0.string("schedule") }
            var cron: CronSchedule?
            if let schedule, let scheduleValue = fields["schedule"] {
                do {
                    cron = try CronSchedule(schedule)
                } catch {
                    sink.error(
                        scheduleValue.location(ofCharacter: error.offset),
                        "schedule \(NameRules.quoted(schedule)) of pipeline \(entry.key): \(error.message)")
                }
            }
            let timeZone = fields["timezone"].flatMap { $0.string("timezone") }
            if let timeZone, let value = fields["timezone"], TimeZone(identifier: timeZone) == nil {
                sink.error(
                    value.location,
                    "timezone \(NameRules.quoted(timeZone)) of pipeline \(entry.key) is not an IANA time zone (e.g. Europe/Berlin, UTC)"
                )
            }
            var steps: [Step] = []
            if let stepEntries = fields["steps"].flatMap({ $0.entries("steps of pipeline \(entry.key)") }) {
                steps = stepEntries.compactMap {
                    readStep(
                        $0.key, $0.value, location: $0.keyLocation, pipeline: entry.key, engine: project.sql.engine,
                        sink: sink)
                }
            }
            if steps.isEmpty && fields["steps"] == nil {
                sink.error(entry.keyLocation, "pipeline \(entry.key) needs steps")
            }
            var pipeline = Pipeline(name: entry.key, schedule: schedule, steps: steps, location: entry.keyLocation)
            pipeline.cron = cron
            if let value = fields["overlap"], let text = value.string("overlap") {
                if let overlap = Pipeline.Overlap(rawValue: text) {
                    pipeline.overlap = overlap
                } else {
                    sink.error(
                        value.location,
                        "overlap \(NameRules.quoted(text)) of pipeline \(entry.key) must be skip or wait")
                }
            }
            if let sources = fields["on"].flatMap({ $0.stringList("on") }) {
                for (source, location) in sources where project.sources[source] == nil {
                    sink.error(
                        location,
                        "pipeline \(entry.key) is started by source \(NameRules.quoted(source)), which is not declared (sources: \(project.sources.keys.sorted().joined(separator: ", ")))"
                    )
                }
                pipeline.triggers = sources.map(\.0)
            }
            if let value = fields["environment"], let environment = value.string("environment") {
                if NameRules.isEnvironmentName(environment) {
                    pipeline.environment = environment
                } else {
                    sink.error(
                        value.location, "environment \(NameRules.quoted(environment)) is not a valid environment name")
                }
            }
            if let timeZone, TimeZone(identifier: timeZone) != nil { pipeline.timeZone = timeZone }
            project.pipelines[entry.key] = pipeline
        }
    }

    private func readStep(
        _ name: String, _ value: YAMLValue, location: SourceLocation, pipeline: String, engine: SQLEngine,
        sink: DiagnosticCollector
    ) -> Step? {
        guard NameRules.isIdentifier(name) else {
            sink.error(
                location,
                "step name \(NameRules.quoted(name)) must be lower-case letters, digits, _ and -, starting with a letter"
            )
            return nil
        }
        let what = "step \(pipeline).\(name)"
        let allowed = [
            "sql", "engine", "command", "inputs", "output", "outputs", "after", "retries", "timeout", "tests",
            "description",
        ]
        guard let fields = value.fields(what, allowed: allowed) else { return nil }
        let kind: StepKind
        switch (fields["sql"], fields["command"]) {
        case (let sql?, nil):
            guard let file = sql.string("sql") else { return nil }
            if file.hasPrefix("/") || file.split(separator: "/").contains("..") {
                sink.error(
                    sql.location,
                    "sql file \(NameRules.quoted(file)) must stay inside the project (no leading / and no ..)")
            }
            kind = .sql(file: file)
        case (nil, let command?):
            guard let arguments = command.stringList("command"), !arguments.isEmpty else {
                sink.error(command.location, "command of \(what) must be a non-empty list: [program, arg, ...]")
                return nil
            }
            kind = .command(arguments.map(\.0))
        case (nil, nil):
            sink.error(location, "\(what) needs sql (a SELECT file) or command (a program and its arguments)")
            return nil
        default:
            sink.error(location, "\(what) has both sql and command; a step is one or the other")
            return nil
        }
        var step = Step(name: name, kind: kind, location: location)
        step.sqlEngine = engine
        if let value = fields["engine"] {
            if case .sql = kind {
                step.sqlEngine = readEngine(value, what: "engine of \(what)", sink: sink)
            } else {
                sink.error(value.location, "engine applies to sql steps; \(what) runs a command")
            }
        }
        func datasets(_ pairs: [(String, SourceLocation)]) -> [DatasetName] {
            pairs.compactMap { text, location in
                guard let dataset = DatasetName(text) else {
                    sink.error(location, "\(NameRules.quoted(text)) in \(what) is not a dataset name (zone.name)")
                    return nil
                }
                step.referenceLocations[dataset] = location
                return dataset
            }
        }
        step.inputs = datasets(fields["inputs"].flatMap { $0.stringList("inputs") } ?? [])
        switch (fields["output"], fields["outputs"]) {
        case (let output?, nil):
            step.outputs = datasets(output.string("output").map { [($0, output.location)] } ?? [])
        case (nil, let outputs?):
            step.outputs = datasets(outputs.stringList("outputs") ?? [])
        case (nil, nil):
            // A command step may have no output: it runs for its effect (after: orders it).
            if case .sql = kind { sink.error(location, "\(what) needs output (the dataset its SELECT makes)") }
        default:
            sink.error(location, "\(what) has both output and outputs; use one")
        }
        if let retries = fields["retries"],
            let options = retries.fields("retries", allowed: ["attempts", "backoff", "max_backoff"])
        {
            step.retries.attempts = options["attempts"].flatMap { $0.int("attempts", min: 1) } ?? 1
            step.retries.backoff = options["backoff"].flatMap { $0.timeSpan("backoff") } ?? step.retries.backoff
            step.retries.maxBackoff = options["max_backoff"].flatMap { $0.timeSpan("max_backoff") }
        }
        step.after = (fields["after"].flatMap { $0.stringList("after") } ?? []).map(\.0)
        step.timeout = fields["timeout"].flatMap { $0.timeSpan("timeout") }
        if let tests = fields["tests"] { step.tests = readTests(tests, of: step, what: what, sink: sink) }
        return step
    }

    /// `tests: [{ name, inputs: { DATASET: FILE }, expect: { DATASET: FILE } }]`: every input of the step
    /// gets a fixture and every expected file names one of its outputs.
    private func readTests(_ value: YAMLValue, of step: Step, what: String, sink: DiagnosticCollector) -> [StepTest] {
        guard let items = value.list("tests of \(what)") else { return [] }
        var tests: [StepTest] = []
        for (index, item) in items.enumerated() {
            let allowed = ["name", "engine", "inputs", "expect"]
            guard let fields = item.fields("a test of \(what)", allowed: allowed) else { continue }
            let name = fields["name"].flatMap { $0.string("name") } ?? "test\(index + 1)"
            func files(_ key: String, allowed: [DatasetName], role: String) -> [DatasetName: String] {
                var result: [DatasetName: String] = [:]
                for entry in fields[key]?.entries("\(key) of test \(name)") ?? [] {
                    guard let dataset = DatasetName(entry.key), allowed.contains(dataset) else {
                        sink.error(
                            entry.keyLocation,
                            "test \(name) of \(what) gives \(NameRules.quoted(entry.key)), which is not one of the step's \(role) (\(allowed.map(\.description).joined(separator: ", ")))"
                        )
                        continue
                    }
                    guard let file = entry.value.string("\(entry.key)") else { continue }
                    if file.hasPrefix("/") || file.split(separator: "/").contains("..") {
                        sink.error(
                            entry.value.location, "fixture \(NameRules.quoted(file)) must stay inside the project")
                        continue
                    }
                    result[dataset] = file
                }
                return result
            }
            let inputs = files("inputs", allowed: step.inputs, role: "inputs")
            let expected = files("expect", allowed: step.outputs, role: "outputs")
            let missing = step.inputs.filter { inputs[$0] == nil }
            if !missing.isEmpty {
                sink.error(
                    item.location,
                    "test \(name) of \(what) needs a fixture for every input; missing: \(missing.map(\.description).joined(separator: ", "))"
                )
            }
            if expected.isEmpty {
                sink.error(item.location, "test \(name) of \(what) needs expect: { OUTPUT: FILE } to compare with")
            }
            var engine: SQLEngine?
            if let value = fields["engine"] {
                if case .sql = step.kind {
                    engine = readEngine(value, what: "engine of test \(name)", sink: sink)
                } else {
                    sink.error(value.location, "engine applies to tests of sql steps; \(what) runs a command")
                }
            }
            tests.append(
                StepTest(name: name, inputs: inputs, expected: expected, engine: engine, location: item.location))
        }
        return tests
    }
}
