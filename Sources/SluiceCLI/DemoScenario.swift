import Foundation
import SluiceCore

/// `sluice demo`: builds a project with generated data and walks through the whole idea — ingest into dev,
/// a zero-copy sandbox, a CI token promoting dev to prod, and an engineer's write to prod being denied.
public struct DemoScenario: Sendable {
    public let folder: URL
    public let git: any GitInspector

    public init(folder: URL, git: any GitInspector) {
        self.folder = folder
        self.git = git
    }

    /// Writes the project and its data, and commits it to a fresh git repository (promotion needs a clean tree).
    public func prepare() throws {
        try ProjectScaffold.write(to: folder, name: "shop")
        // The demo's token secrets are kept beside the project for the person who ran it, never committed.
        let ignore = folder.appendingPathComponent(".gitignore")
        let ignored = (try? String(contentsOf: ignore, encoding: .utf8)) ?? ""
        try Data((ignored + "\(DemoTokens.fileName)\n").utf8).write(to: ignore)
        let customers = 200
        try Data(DemoData.customersCSV(count: customers).utf8)
            .write(to: folder.appendingPathComponent("landing/customers/customers.csv"))
        try Data(DemoData.ordersCSV(count: 2_000, customers: customers).utf8)
            .write(to: folder.appendingPathComponent("landing/orders/2026-11-24.csv"))
        for arguments in [
            ["init", "-q", "-b", "main"], ["add", "-A"],
            [
                "-c", "user.name=Sluice Demo", "-c", "user.email=demo@sluice.invalid", "commit", "-q", "-m",
                "Sluice demo project",
            ],
        ] {
            try runGit(arguments)
        }
    }

    private func runGit(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", folder.path] + arguments
        process.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = errors
        do {
            try process.run()
        } catch {
            throw UsageError("the demo needs git on the PATH: \(error)")
        }
        let message = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw InternalError(
                "git \(arguments.joined(separator: " ")) failed: \(String(decoding: message, as: UTF8.self))")
        }
    }

    /// Runs the story on a loaded project, reporting each step; `workspace(for:)` builds a workspace acting
    /// as the identity a token resolves to (or as anonymous for `nil`).
    /// `pipeline`, when given, runs the daily pipeline into prod as the workspace's principal and returns a
    /// line to report (the runner lives in another library).
    public func run(
        project: Project, workspace: (String?) async throws -> Workspace, report: (String) -> Void,
        pipeline: ((Workspace) async throws -> String)? = nil
    ) async throws -> Workspace {
        let anyone = try await workspace(nil)
        report("1. Bootstrap: the first token of a new store must be an admin's.")
        let opsToken = try await anyone.createToken(for: "ops")
        report("   ops (admin) got token \(opsToken.id); the secret is shown once and only its hash is stored.")
        let ops = try await workspace(opsToken.secret)
        let ciToken = try await ops.createToken(for: "ci")
        let aliceToken = try await ops.createToken(for: "alice")
        report("   ops created tokens for ci (pipeline role, \(ciToken.id)) and alice (engineer, \(aliceToken.id)).")
        let saved = try DemoTokens(
            secrets: [("ops", opsToken.secret), ("ci", ciToken.secret), ("alice", aliceToken.secret)]
        ).write(in: folder)
        report("   Their secrets are saved in \(saved.path) (only you can read it; git ignores it).")

        let alice = try await workspace(aliceToken.secret)
        report("2. alice ingests the landed files into dev (content-addressed, atomic, committed by compare-and-swap).")
        for source in ["customers_drop", "orders_drop"] {
            let result = try await alice.ingest(source: source, environment: "dev")
            report(
                "   \(result.dataset): \(result.rows) rows, \(result.bytes) bytes → version \(result.version.short), commit \(result.commit.short)"
            )
        }
        try Data(DemoData.badDeliveryCSV().utf8).write(
            to: folder.appendingPathComponent("landing/orders/2026-11-25.csv"))
        let second = try await alice.ingest(source: "orders_drop", environment: "dev")
        report(
            "   a second delivery had \(second.report.invalidRows) bad rows of \(second.report.rows): checked before landing, "
                + "\(second.rows) valid rows landed and the bad ones went to quarantine \(second.quarantined ?? "-") with reasons:"
        )
        for check in second.report.checks where !check.success {
            for sample in check.samples {
                report("     \(check.id) at line \(sample.line) of \(sample.file ?? "?"): \(sample.value)")
            }
        }
        let sandbox = try await alice.createEnvironment("sandbox/alice-exp", from: "dev", ttl: nil)
        report(
            "3. alice makes sandbox/alice-exp from dev: zero-copy (\(sandbox.datasets) datasets, a new ref, no data copied); \(sandbox.lifecycle)."
        )

        let ci = try await workspace(ciToken.secret)
        let promotion = try await ci.promote(from: "dev", to: "prod")
        report(
            "4. ci promotes dev → prod with its token: prod now at \(promotion.commit.short), git commit \(promotion.gitCommit.prefix(12))."
        )

        if let pipeline {
            report(
                "   ci runs the daily pipeline into prod: write-audit-publish in a staging environment, every output checked, then promoted."
            )
            report("   " + (try await pipeline(ci)))
        }

        report("5. alice tries to write prod directly, and to promote:")
        for attempt in [
            (
                "sluice ingest orders_drop --env prod",
                { _ = try await alice.ingest(source: "orders_drop", environment: "prod") }
            ),
            ("sluice promote --from dev --to prod", { _ = try await alice.promote(from: "dev", to: "prod") }),
        ] as [(String, () async throws -> Void)] {
            do {
                try await attempt.1()
                throw InternalError("the demo expected \(attempt.0) by alice to be denied")
            } catch let denied as AccessDenied {
                report("   $ \(attempt.0)\n   " + denied.description.replacingOccurrences(of: "\n", with: "\n   "))
            }
        }
        let audit = try await ops.verifyAudit()
        report(
            "6. Every change and both denials are in the hash-chained audit log: \(audit.events) events, chain \(audit.ok ? "intact" : "BROKEN")."
        )
        return ops
    }
}
