import Foundation
import Hummingbird
import SluiceCore

/// The overview: what needs attention first, then every pipeline with its schedule and last runs.
struct HomeView: Sendable {
    struct Tile: Sendable {
        var label: String
        var value: String
        var tone: String
        var href: String
    }

    struct PipelineRow: Sendable {
        var name: String
        var href: String
        var steps: String
        var schedule: String?
        var triggers: String?
        var next: When?
        var environment: String
        var dots: [RunDot]
        var last: Badge?
    }

    struct StaleRow: Sendable {
        var dataset: String
        var href: String
        var environment: String
        var age: String
        var limit: String
    }

    struct ExpiringRow: Sendable {
        var name: String
        var href: String
        var expires: When
        var lifecycle: String
    }

    var chrome: Chrome
    var tiles: [Tile]
    var running: Listing<RunRow>?
    var failed: Listing<RunRow>?
    var failingChecks: Listing<CheckRow>?
    var stale: Listing<StaleRow>?
    var quarantined: Listing<QuarantineRow>?
    var expiring: Listing<ExpiringRow>?
    var denials: Listing<AuditRow>?
    var auditVisible: Bool
    var calm: Bool
    var pipelines: [PipelineRow]
}

extension WebUI {
    func addOverviewRoutes(_ ui: RouterGroup<SluiceRequestContext>) {
        ui.get { request, _ in
            await page(request) { viewer in
                renderer.page("home", try await HomeView.build(viewer, here: request.uri.description))
            }
        }
    }
}

extension HomeView {
    static let day: Int64 = 86_400_000

    static func build(_ viewer: Viewer, here: String) async throws -> HomeView {
        let overview = Overview(viewer: viewer)
        let now = viewer.now
        let running = try await overview.runs(RunFilter(status: .running), limit: 50)
        let failed = try await overview.runs(
            RunFilter(status: .failed, startedSince: Timestamp(milliseconds: now.milliseconds - day)), limit: 200)
        let failing = try await overview.latestChecks(failedOnly: true)
        let quarantined = try await overview.quarantines().filter { now.milliseconds - $0.at.milliseconds <= 7 * day }
        let environments = try await overview.environments()
        let expiring = environments.filter {
            guard let at = $0.expiresAt else { return false }
            return at.milliseconds - now.milliseconds <= 7 * day
        }
        let denials = try await overview.denials(within: day)
        let stale = try await staleDatasets(overview, environments: environments)
        let tiles =
            [
                Tile(
                    label: "running runs", value: "\(running.count)", tone: running.isEmpty ? "off" : "run",
                    href: "/ui/runs?status=running"),
                Tile(
                    label: "failed runs, last 24 h", value: "\(failed.count)", tone: failed.isEmpty ? "ok" : "bad",
                    href: "/ui/runs?status=failed&since=24h"),
                Tile(
                    label: "failing checks", value: "\(failing.count)", tone: failing.isEmpty ? "ok" : "bad",
                    href: "/ui/quality"),
                Tile(
                    label: "stale datasets", value: "\(stale.count)", tone: stale.isEmpty ? "ok" : "warn",
                    href: "/ui/datasets"),
                Tile(
                    label: "quarantined batches, 7 d", value: "\(quarantined.count)",
                    tone: quarantined.isEmpty ? "ok" : "warn", href: "/ui/quality#quarantine"),
                Tile(
                    label: "environments expiring, 7 d", value: "\(expiring.count)",
                    tone: expiring.isEmpty ? "ok" : "warn", href: "/ui/lifecycle"),
            ]
            + (denials.map {
                [
                    Tile(
                        label: "denied actions, 24 h", value: "\($0.count)", tone: $0.isEmpty ? "ok" : "bad",
                        href: "/ui/audit?outcome=denied")
                ]
            } ?? [])
        return HomeView(
            chrome: Chrome(title: "Overview", section: .home, viewer: viewer, here: here), tiles: tiles,
            running: .of(running.prefix(10).map { RunRow($0, now: now) }),
            failed: .of(failed.prefix(10).map { RunRow($0, now: now) }),
            failingChecks: .of(failing.prefix(10).map { CheckRow($0, now: now) }), stale: .of(stale.prefix(10)),
            quarantined: .of(quarantined.prefix(10).map { QuarantineRow($0, now: now) }),
            expiring: .of(
                expiring.map {
                    ExpiringRow(
                        name: $0.name, href: "/ui/environments/\(Format.segment($0.name))",
                        expires: When($0.expiresAt ?? now, now: now), lifecycle: $0.lifecycle)
                }),
            denials: .of((denials ?? []).prefix(10).map { AuditRow($0, now: now) }), auditVisible: denials != nil,
            calm: running.isEmpty && failed.isEmpty && failing.isEmpty && stale.isEmpty && quarantined.isEmpty
                && expiring.isEmpty && (denials ?? []).isEmpty,
            pipelines: try await pipelineRows(overview))
    }

    /// Datasets with a freshness check whose current version (in a protected environment, or the default
    /// one) is older than the check allows.
    static func staleDatasets(_ overview: Overview, environments: [EnvironmentSummary]) async throws -> [StaleRow] {
        let project = overview.viewer.project
        let watched = environments.filter { $0.protected || $0.name == project.defaultEnvironment }
        var rows: [StaleRow] = []
        for environment in watched {
            guard let commit = try await overview.head(of: environment) else { continue }
            let watchedDatasets = project.datasets.filter {
                $0.value.freshnessLimit != nil && overview.viewer.mayRead($0.key, in: environment.name)
            }
            let ids = watchedDatasets.keys.compactMap { commit.version(of: $0) }
            let versions = try await overview.workspace.browse.versions(ids, in: environment.name)
            for (name, dataset) in watchedDatasets.sorted(by: { $0.key < $1.key }) {
                guard let maxAge = dataset.freshnessLimit, let id = commit.version(of: name), let version = versions[id]
                else { continue }
                guard dataset.isStale(writtenAt: version.createdAt, now: overview.now) else { continue }
                let age = overview.now.milliseconds - version.createdAt.milliseconds
                rows.append(
                    StaleRow(
                        dataset: name.description,
                        href: "/ui/datasets/\(Format.segment(name.description))?env=\(Format.query(environment.name))",
                        environment: environment.name, age: Format.span(seconds: age / 1000),
                        limit: maxAge.description))
            }
        }
        return rows
    }

    static func pipelineRows(_ overview: Overview) async throws -> [PipelineRow] {
        let project = overview.viewer.project
        var rows: [PipelineRow] = []
        let recentRuns = try await overview.recentRuns(perPipeline: 12)
        for pipeline in project.pipelines.values.sorted(by: { $0.name < $1.name }) {
            let recent = recentRuns[pipeline.name] ?? []
            let zone = TimeZone(identifier: pipeline.timeZone) ?? .gmt
            let next = pipeline.cron?.next(after: overview.now.date, in: zone).map { Timestamp($0) }
            rows.append(
                PipelineRow(
                    name: pipeline.name, href: "/ui/runs?pipeline=\(Format.query(pipeline.name))",
                    steps: "\(pipeline.steps.count)", schedule: pipeline.schedule,
                    triggers: pipeline.triggers.isEmpty ? nil : pipeline.triggers.joined(separator: ", "),
                    next: next.map { When($0, now: overview.now) },
                    environment: pipeline.environment ?? project.defaultEnvironment,
                    dots: recent.reversed().map(RunDot.init), last: recent.first.map { Badge($0.status) }))
        }
        return rows
    }
}

extension Dataset {
    /// The tightest `freshness` limit among the dataset's checks.
    var freshnessLimit: TimeSpan? {
        checks.compactMap { check -> TimeSpan? in
            if case .freshness(_, let maxAge) = check.kind { return maxAge }
            return nil
        }.min()
    }

    /// Whether data written at `written` is older than the dataset's freshness limit allows (never, without one).
    func isStale(writtenAt written: Timestamp, now: Timestamp) -> Bool {
        guard let limit = freshnessLimit else { return false }
        return now.milliseconds - written.milliseconds > limit.milliseconds
    }
}
