import ArgumentParser
import Foundation
import SluiceCore
import SluiceRunner

struct GCCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gc",
        abstract: "Expire environments past their lifecycle and delete objects nothing kept refers to.",
        discussion: """
            Mark then sweep: an object is deleted only when no commit reachable from a kept environment, no run \
            record (running or resumable) and no quarantined batch refers to it, and it was written before the \
            grace period. Safe to interrupt and to run again. Every deletion is audited; it needs a delete grant.
            """)

    @Flag(help: "Print the plan and change nothing.")
    var dryRun = false

    @Option(help: "Keep objects written this recently whatever refers to them (default 1h).")
    var grace: String = "1h"

    @OptionGroup var projectOptions: ProjectOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        guard let span = TimeSpan(grace) else {
            throw UsageError(
                "--grace \(NameRules.quoted(grace)) is not a duration", hint: "e.g. 30m, 1h, 2d (at most 1000 years)")
        }
        let engine = try await projectOptions.engine()
        let report = try await engine.collectGarbage(dryRun: dryRun, grace: span)
        // Working folders of runs killed outright (SIGKILL, power loss) on this host, once their runs have
        // ended (in server mode, the service's host sweeps its own).
        var folders: [URL] = []
        if let workspace = engine as? Workspace {
            folders = try await ScratchSweeper.sweepAll(workspace, now: report.markedAt, grace: span, dryRun: dryRun)
        }
        if output.json { return try Terminal.json(report) }
        if !folders.isEmpty {
            print("\(dryRun ? "would remove" : "removed") \(folders.count) working folders of ended runs")
        }
        let verb = dryRun ? "would delete" : "deleted"
        for environment in report.environments {
            let state = dryRun ? "would expire" : environment.deleted ? "expired" : "kept (used or moved meanwhile)"
            print(
                "environment \(environment.name): \(state) by \(environment.rule), idle \(environment.idleSeconds / 86_400)d since \(Terminal.time(environment.lastUsedAt))"
            )
        }
        for version in report.versions {
            print(
                "version \(version.dataset)@\(version.version.short): \(dryRun ? "would be let go" : "let go") by \(version.rule) (made \(Terminal.time(version.createdAt)))"
            )
        }
        for (kind, records) in [("run", report.runs), ("quarantined batch", report.quarantines)] {
            for record in records {
                print(
                    "\(kind) \(record.id): \(dryRun ? "would be deleted" : record.deleted ? "deleted" : "already gone") by \(record.rule) (from \(Terminal.time(record.at)))"
                )
            }
        }
        for object in report.objects.prefix(dryRun ? 20 : 0) {
            print(
                "object \(object.id.short)  \(Terminal.bytes(object.bytes))  written \(Terminal.time(object.writtenAt))"
            )
        }
        if dryRun && report.objects.count > 20 {
            print("… and \(report.objects.count - 20) more objects (--json lists all)")
        }
        if report.staleStagingFiles > 0 {
            print(
                "\(verb) \(report.staleStagingFiles) staged files that killed writers left (\(Terminal.bytes(report.staleStagingBytes)))"
            )
        }
        print(
            "\(verb) \(report.environments.filter { dryRun || $0.deleted }.count) environments, \(report.versions.count) dataset versions, \(report.runs.count) run records, "
                + "\(report.quarantines.count) quarantined batches and \(report.objects.count) objects, "
                + "freeing \(Terminal.bytes(report.bytes)); kept \(report.keptReferenced) referenced objects and "
                + "\(report.keptRecent) written within the last \(report.grace)")
    }
}
