import Foundation
import Yams

/// Reads a project folder (`sluice.yaml`, `datasets/*.yaml`, `pipelines/*.yaml`) into typed values.
/// Loading never stops at the first mistake: every problem is collected with its `file:line:column`.
public struct ProjectLoader: Sendable {
    public static let projectFileName = "sluice.yaml"
    /// Where the project's files are read.
    public let files: any ProjectFileReader

    public init(files: any ProjectFileReader) { self.files = files }

    /// Loads and validates the project; throws `ProjectError` listing every error. Warnings are returned.
    public func loadValidated(root: URL) throws -> (project: Project, warnings: [Diagnostic]) {
        let (project, diagnostics) = try load(root: root)
        guard let project, !diagnostics.contains(where: { $0.severity == .error }) else {
            throw ProjectError(diagnostics)
        }
        return (project, diagnostics)
    }

    /// Loads the project and runs every validation rule. The project is `nil` only when `sluice.yaml`
    /// itself could not be read as a mapping.
    public func load(root: URL) throws -> (Project?, [Diagnostic]) {
        let sink = DiagnosticCollector()
        let projectFile = root.appendingPathComponent(Self.projectFileName)
        guard files.kindFollowingLinks(of: projectFile.path) != nil else {
            throw UsageError(
                "no \(Self.projectFileName) in \(root.path)",
                hint: "run sluice inside a project folder, pass --project DIR, or create one with `sluice init`")
        }
        guard let top = parse(file: Self.projectFileName, root: root, sink: sink) else {
            return (nil, sink.diagnostics)
        }
        var project = readProjectFile(top, root: root, sink: sink)
        for file in yamlFiles(in: "datasets", root: root) {
            guard let document = parse(file: file, root: root, sink: sink) else { continue }
            readDatasets(document, into: &project, sink: sink)
        }
        for file in yamlFiles(in: "pipelines", root: root) {
            guard let document = parse(file: file, root: root, sink: sink) else { continue }
            readPipelines(document, into: &project, sink: sink)
        }
        ProjectValidator(project: project, sink: sink, files: files).validate()
        return (project, sink.diagnostics)
    }

    private func yamlFiles(in folder: String, root: URL) -> [String] {
        let names = files.files(matching: "\(folder)/*", in: root).map(\.lastPathComponent)
        return names.filter { $0.hasSuffix(".yaml") || $0.hasSuffix(".yml") }.sorted().map { "\(folder)/\($0)" }
    }

    private func parse(file: String, root: URL, sink: DiagnosticCollector) -> YAMLValue? {
        let start = SourceLocation(file: file, line: 1, column: 1)
        guard let data = files.contents(of: root.appendingPathComponent(file), from: 0) else {
            sink.error(start, "cannot read the file")
            return nil
        }
        guard let text = String(data: data, encoding: .utf8) else {
            sink.error(start, "the file is not valid UTF-8")
            return nil
        }
        do {
            guard let node = try Yams.compose(yaml: text) else {
                sink.error(start, "the file is empty; it must hold a mapping")
                return nil
            }
            return YAMLValue(node: node, file: file, sink: sink, fallback: start)
        } catch let error as YamlError {
            sink.error(Self.location(of: error, file: file), "invalid YAML: \(Self.problem(of: error))")
            return nil
        } catch {
            sink.error(start, "invalid YAML: \(error)")
            return nil
        }
    }

    static func location(of error: YamlError, file: String) -> SourceLocation {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _):
            return SourceLocation(file: file, line: mark.line, column: mark.column)
        case .duplicatedKeysInMapping(_, let context):
            return SourceLocation(file: file, line: context.mark.line, column: context.mark.column)
        default:
            return SourceLocation(file: file, line: 1, column: 1)
        }
    }

    static func problem(of error: YamlError) -> String {
        switch error {
        case .scanner(let context, let problem, _, _), .parser(let context, let problem, _, _),
            .composer(let context, let problem, _, _):
            return [context?.text, problem].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
        case .duplicatedKeysInMapping(let duplicates, _):
            return "duplicate key \(duplicates.joined(separator: ", ")) in one mapping; each key may appear only once"
        default:
            return "\(error)".split(separator: "\n").first.map(String.init) ?? "unreadable"
        }
    }

    static let projectKeys = [
        "project", "description", "default_environment", "zones", "environments", "roles", "principals",
        "sources", "datasets", "pipelines", "quarantine", "runs", "require_tests", "service", "alerts",
        "openlineage", "sql",
    ]

    private func readProjectFile(_ top: YAMLValue, root: URL, sink: DiagnosticCollector) -> Project {
        let fields = top.fields("the project file", allowed: Self.projectKeys) ?? [:]
        var name = "project"
        if let value = fields["project"] {
            if let text = value.string("project"), NameRules.isIdentifier(text) {
                name = text
            } else {
                sink.error(value.location, "project must be a name of lower-case letters, digits, _ and -")
            }
        } else {
            sink.error(top.location, "missing key project (the project's name)")
        }
        var project = Project(root: root, name: name, location: fields["project"]?.location ?? top.location)
        project.zones = readZones(fields["zones"], fallback: top.location, sink: sink)
        if let value = fields["default_environment"], let text = value.string("default_environment") {
            if NameRules.isEnvironmentName(text) {
                project.defaultEnvironment = text
            } else {
                sink.error(
                    value.location, "default_environment \(NameRules.quoted(text)) is not a valid environment name")
            }
        }
        if let value = fields["require_tests"] { project.requireTests = value.bool("require_tests") ?? false }
        if let value = fields["environments"] { project.environments = readEnvironments(value, sink: sink) }
        if project.environmentSpec(for: Project.stagingPrefix + "probe") == nil,
            let pattern = EnvironmentPattern(Project.stagingPrefix + "*")
        {
            // Write-audit-publish runs into protected environments stage in staging/RUN; a failed one is
            // kept for inspection, briefly, unless the project declares its own staging/* lifecycle.
            project.environments.append(
                EnvironmentSpec(
                    pattern: pattern, protected: false,
                    lifecycle: Lifecycle(expireAfterIdle: TimeSpan(seconds: 3 * 86_400)),
                    location: project.location))
        }
        if let value = fields["roles"] { project.roles = readRoles(value, sink: sink) }
        if let value = fields["principals"] { project.principals = readPrincipals(value, sink: sink) }
        if let value = fields["sources"] { project.sources = readSources(value, sink: sink) }
        if let value = fields["datasets"] { readDatasets(value, into: &project, sink: sink) }
        // Before the pipelines: their sql steps take the project's engine unless they name one.
        if let value = fields["sql"] { project.sql = readSQLSettings(value, sink: sink) }
        if let value = fields["pipelines"] { readPipelines(value, into: &project, sink: sink) }
        project.quarantineLifecycle = readLifecycleHolder(fields["quarantine"], what: "quarantine", sink: sink)
        project.runsLifecycle = readLifecycleHolder(fields["runs"], what: "runs", sink: sink)
        if let value = fields["alerts"] { project.alerts = readAlerts(value, sink: sink) }
        if let value = fields["openlineage"] { project.openLineage = readOpenLineage(value, sink: sink) }
        if let service = fields["service"]?.fields("service", allowed: ["run_as", "gc"]) {
            if let value = service["gc"], let text = value.string("gc") {
                do {
                    project.serviceGC = try CronSchedule(text)
                } catch {
                    sink.error(
                        value.location(ofCharacter: error.offset),
                        "service gc \(NameRules.quoted(text)): \(error.message)")
                }
            }
            if let value = service["run_as"], let principal = value.string("run_as") {
                if project.principals[principal] == nil {
                    sink.error(
                        value.location,
                        "service run_as names \(NameRules.quoted(principal)), who is not a declared principal")
                }
                project.serviceRunAs = principal
            }
        }
        return project
    }

    private func readLifecycleHolder(_ value: YAMLValue?, what: String, sink: DiagnosticCollector) -> Lifecycle? {
        guard let value, let fields = value.fields(what, allowed: ["lifecycle"]) else { return nil }
        return fields["lifecycle"].flatMap { readLifecycle($0, what: "\(what) lifecycle") }
    }

    /// Reads `{ keep: forever }`, `{ keep_versions: 10, keep_days: 90 }`, `{ expire_after_idle: 7d }` and the like.
    func readLifecycle(_ value: YAMLValue, what: String) -> Lifecycle? {
        let allowed = ["keep", "keep_versions", "keep_days", "expire_after_idle", "expire_after"]
        guard let fields = value.fields(what, allowed: allowed) else { return nil }
        guard !fields.isEmpty else {
            value.sink.error(
                value.location,
                "\(what) declares nothing; use keep: forever, keep_versions, keep_days, expire_after_idle or expire_after"
            )
            return nil
        }
        var lifecycle = Lifecycle()
        if let keep = fields["keep"], let text = keep.string("keep") {
            if text == "forever" {
                lifecycle.keepForever = true
            } else {
                value.sink.error(keep.location, "keep only takes forever; use keep_versions or keep_days for limits")
            }
        }
        lifecycle.keepVersions = fields["keep_versions"].flatMap { $0.int("keep_versions", min: 1) }
        lifecycle.keepDays = fields["keep_days"].flatMap { $0.int("keep_days", min: 0) }
        lifecycle.expireAfterIdle = fields["expire_after_idle"].flatMap { $0.timeSpan("expire_after_idle") }
        lifecycle.expireAfter = fields["expire_after"].flatMap { $0.timeSpan("expire_after") }
        if lifecycle.keepForever && fields.count > 1 {
            value.sink.error(value.location, "\(what) says keep: forever and also sets limits; choose one")
        }
        return lifecycle
    }

    private func readZones(_ value: YAMLValue?, fallback: SourceLocation, sink: DiagnosticCollector) -> [Zone] {
        guard let value else {
            let defaults: [(String, Lifecycle)] = [
                ("raw", .forever),
                ("staged", Lifecycle(keepVersions: 10, keepDays: 90)),
                ("curated", Lifecycle(keepVersions: 30, keepDays: 365)),
            ]
            return defaults.enumerated().map { Zone(name: $1.0, order: $0, lifecycle: $1.1, location: fallback) }
        }
        guard let items = value.list("zones") else { return [] }
        var zones: [Zone] = []
        for item in items {
            guard let fields = item.fields("a zone", allowed: ["name", "lifecycle", "description"]) else { continue }
            guard let nameValue = fields["name"], let name = nameValue.string("zone name") else {
                if fields["name"] == nil { sink.error(item.location, "a zone needs a name") }
                continue
            }
            guard NameRules.isSQLSafeIdentifier(name) else {
                sink.error(
                    nameValue.location,
                    "zone name \(NameRules.quoted(name)) must be lower-case letters, digits and _, starting with a letter"
                )
                continue
            }
            if zones.contains(where: { $0.name == name }) {
                sink.error(nameValue.location, "zone \(name) is declared twice")
                continue
            }
            let lifecycle = fields["lifecycle"].flatMap { readLifecycle($0, what: "lifecycle of zone \(name)") }
            zones.append(Zone(name: name, order: zones.count, lifecycle: lifecycle, location: item.location))
        }
        if zones.isEmpty { sink.error(value.location, "zones must list at least one zone") }
        return zones
    }
}
