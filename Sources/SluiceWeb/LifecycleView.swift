import Foundation
import Hummingbird
import SluiceCore

/// What garbage collection would delete now, and why (a dry run of `sluice gc`), and what expires next.
struct LifecycleView: Sendable {
    struct Expiry: Sendable {
        var name: String
        var href: String
        var rule: String
        var when: When
        var due: Bool
    }

    struct Retired: Sendable {
        var what: String
        var href: String?
        var rule: String
        var when: When
    }

    var chrome: Chrome
    var upcoming: Listing<Expiry>?
    var planned: Bool
    var planMade: When?
    var refusal: String?
    var environments: Listing<Expiry>?
    var versions: Listing<Retired>?
    var versionsCut: Bool
    var runs: Listing<Retired>?
    var runsCut: Bool
    var quarantines: Listing<Retired>?
    var objects: String
    var bytes: String
    var keptReferenced: String
    var keptRecent: String
    var staging: String
    var grace: String
    var command: String

    static let shown = 100

    static func build(
        _ viewer: Viewer, here: String, plans: KeptResult<GCReport>
    ) async throws -> LifecycleView {
        let now = viewer.now
        let summaries = try await Overview(viewer: viewer).environments()
        let upcoming = summaries.compactMap { summary -> Expiry? in
            guard let at = summary.expiresAt else { return nil }
            return Expiry(
                name: summary.name, href: "/ui/environments/\(Format.segment(summary.name))", rule: summary.lifecycle,
                when: When(at, now: now), due: at <= now)
        }.sorted { $0.when.iso < $1.when.iso }
        var view = LifecycleView(
            chrome: Chrome(title: "Lifecycle", section: .lifecycle, viewer: viewer, here: here),
            upcoming: .of(upcoming),
            planned: false, planMade: nil, refusal: nil, environments: nil, versions: nil, versionsCut: false,
            runs: nil,
            runsCut: false, quarantines: nil, objects: "0", bytes: "0 B", keptReferenced: "0", keptRecent: "0",
            staging: "0", grace: "1h", command: "sluice gc --dry-run")
        // Checked here first, so that looking at the page is not audited as a refused collection.
        guard try await viewer.workspace.mayCollectGarbage() else {
            view.refusal =
                "The plan of what gc deletes needs the grants gc needs (delete on every environment that can expire)."
            return view
        }
        let workspace = viewer.workspace
        let (report, madeAt) = try await plans.value(now: now) {
            try await workspace.collectGarbage(dryRun: true, grace: TimeSpan(seconds: 3_600))
        }
        view.planned = true
        view.planMade = When(madeAt, now: now)
        view.environments = .of(
            report.environments.map {
                Expiry(
                    name: $0.name, href: "/ui/environments/\(Format.segment($0.name))",
                    rule: "\($0.rule); idle \(Format.span(seconds: $0.idleSeconds))",
                    when: When($0.lastUsedAt, now: now),
                    due: true)
            })
        view.versions = .of(
            report.versions.prefix(shown).map {
                Retired(
                    what: "\($0.dataset)@\($0.version.short)", href: "/ui/datasets/\(Format.segment($0.dataset))",
                    rule: $0.rule, when: When($0.createdAt, now: now))
            })
        view.versionsCut = report.versions.count > shown
        view.runs = .of(
            report.runs.prefix(shown).map {
                Retired(
                    what: $0.id, href: "/ui/runs/\(Format.segment($0.id))", rule: $0.rule, when: When($0.at, now: now))
            })
        view.runsCut = report.runs.count > shown
        view.quarantines = .of(
            report.quarantines.map {
                Retired(
                    what: $0.id, href: "/ui/quality/quarantine/\(Format.segment($0.id))", rule: $0.rule,
                    when: When($0.at, now: now))
            })
        view.objects = Format.count(report.objects.count)
        view.bytes = Format.bytes(report.bytes)
        view.keptReferenced = Format.count(report.keptReferenced)
        view.keptRecent = Format.count(report.keptRecent)
        view.staging = Format.count(report.staleStagingFiles)
        view.grace = report.grace.description
        return view
    }
}
