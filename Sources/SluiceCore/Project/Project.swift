import Foundation

/// A loaded data project: everything declared in `sluice.yaml`, `datasets/*.yaml` and `pipelines/*.yaml`.
public struct Project: Sendable {
    /// The folder holding `sluice.yaml`: the store, the landing folders and git are found from it.
    public var root: URL
    /// Where steps' files (SQL, scripts, fixtures) are read: `root`, or a private copy of the project as
    /// committed when the project was read from git (`sluice serve` runs the commit in force, not the work tree).
    public var codeRoot: URL
    /// The git commit the project was read from; `nil` when it was read from the work tree.
    public var committed: String?
    /// Why a later commit is not in force (its project is not valid), while this one stays; `nil` when none was refused.
    public var refusal: String?
    public var name: String
    public var zones: [Zone]
    public var environments: [EnvironmentSpec]
    public var roles: [String: Role]
    public var principals: [String: Principal]
    public var sources: [String: Source]
    public var datasets: [DatasetName: Dataset]
    public var pipelines: [String: Pipeline]
    /// The environment commands use when `--env` is not given.
    public var defaultEnvironment: String
    /// Whether every step must declare tests (`require_tests: true`); otherwise missing tests are warnings.
    public var requireTests = false
    /// Lifecycle of quarantined batches.
    public var quarantineLifecycle: Lifecycle?
    /// Lifecycle of run records and their logs.
    public var runsLifecycle: Lifecycle?
    /// The principal the service acts as when it runs pipelines on their schedule (`service: { run_as: }`).
    public var serviceRunAs: String?
    /// When the service enforces lifecycles (`service: { gc: }`; hourly when absent).
    public var serviceGC: CronSchedule?
    /// What the service alerts on and where it sends the alerts (`alerts:`).
    public var alerts = AlertSettings()
    /// Where runs send OpenLineage events as they happen (`openlineage:`); `nil`: nowhere.
    public var openLineage: OpenLineageSettings?
    /// `sql:`: the default engine of sql steps and DuckDB's limits.
    public var sql = SQLSettings()
    /// Location of the `project:` key, for project-wide messages.
    public var location: SourceLocation

    public init(root: URL, name: String, location: SourceLocation) {
        self.root = root
        self.codeRoot = root
        self.name = name
        self.zones = []
        self.environments = []
        self.roles = [:]
        self.principals = [:]
        self.sources = [:]
        self.datasets = [:]
        self.pipelines = [:]
        self.defaultEnvironment = "dev"
        self.location = location
    }

    /// Where write-audit-publish runs stage their work: `staging/RUN_ID`.
    public static let stagingPrefix = "staging/"

    /// The folder Sluice keeps its store in.
    public var storeDirectory: URL { root.appendingPathComponent(".sluice", isDirectory: true) }

    public func zone(named name: String) -> Zone? { zones.first { $0.name == name } }

    /// The first zone, which only ingestion writes and whose versions never change.
    public var firstZone: Zone? { zones.min { $0.order < $1.order } }

    /// The declaration that governs an environment: an exact name wins over the most specific pattern.
    public func environmentSpec(for environment: String) -> EnvironmentSpec? {
        environments.filter { $0.pattern.matches(environment) }.max { $0.pattern.specificity < $1.pattern.specificity }
    }

    public func isProtected(_ environment: String) -> Bool {
        environmentSpec(for: environment)?.protected ?? false
    }

    /// A dataset's lifecycle: its own, else its zone's.
    public func lifecycle(of dataset: DatasetName) -> Lifecycle? {
        datasets[dataset]?.lifecycle ?? zone(named: dataset.zone)?.lifecycle
    }

    /// The step or source that writes each dataset.
    public func writers() -> [DatasetName: [String]] {
        var writers: [DatasetName: [String]] = [:]
        for source in sources.values.sorted(by: { $0.name < $1.name }) {
            writers[source.into, default: []].append("source \(source.name)")
        }
        for pipeline in pipelines.values.sorted(by: { $0.name < $1.name }) {
            for step in pipeline.steps {
                for output in step.outputs {
                    writers[output, default: []].append("step \(pipeline.name).\(step.name)")
                }
            }
        }
        return writers
    }
}
