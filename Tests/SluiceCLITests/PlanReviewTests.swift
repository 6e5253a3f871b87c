import Foundation
import SluiceTestSupport
import Testing

/// Issue 15 item 2: `sluice plan` reviews a change to the project's policies against a git revision (or the
/// commit whose policy is in force): what a reviewer must see, flagged by risk, with exit status 1 when a
/// change needs a second approval (wider write access to a protected environment, a loosened contract).
@Suite struct PlanReviewTests {
    /// A committed demo project with `edit` applied to its working tree.
    static func edited(_ edits: [(String, String)]) throws -> CLIProject {
        let project = try CLIProject()
        // Making tokens puts the committed policy in force first.
        try project.makeTokens()
        _ = try project.edit("sluice.yaml") { text in
            var text = text
            for (old, new) in edits {
                #expect(text.contains(old), "the demo project has \(old)")
                text = text.replacingOccurrences(of: old, with: new)
            }
            return text
        }
        return project
    }

    static func review(_ project: CLIProject) throws -> (status: Int32, lines: [String]) {
        let result = try project.sluice.run(["plan", "--against", "HEAD"])
        return (result.status, result.stdout.split(separator: "\n").map(String.init))
    }

    /// Issue 23 item 3: a dataset that a role now reads only masked is not readable at the storage layer at all
    /// (a bucket cannot mask a column); the review says so.
    @Test func aNewPIIColumnTakesStorageAccessAway() throws {
        let project = try Self.edited([
            (
                "    checks:\n      - { row_count: { min: 1 } }",
                "    pii: [customer_id]\n    checks:\n      - { row_count: { min: 1 } }"
            )
        ])
        let (_, lines) = try Self.review(project)
        #expect(
            lines.contains(
                "  role engineer reads raw.orders only masked, so the Terraform export gives it no storage access to it"
            ),
            "\(lines)")
    }

    @Test func grantsAddedRemovedAndWidenedIntoProd() throws {
        let project = try Self.edited([
            (
                #"engineer: { grants: ["read:*", "write:dev", "write:sandbox/*"] }"#,
                #"engineer: { grants: ["read:*", "write:*"] }"#
            ),
            (#"analyst: { grants: ["read:prod:curated"] }"#, #"analyst: { grants: [] }"#),
        ])
        let (status, lines) = try Self.review(project)
        #expect(status == 1, "\(lines)")
        #expect(lines.contains("! alice may now write protected prod; a second approval is needed"), "\(lines)")
        #expect(lines.contains("~ role engineer gains write:*"))
        #expect(lines.contains("  role engineer loses write:dev"))
        #expect(lines.contains("  role analyst loses read:prod:curated"))
        #expect(lines.last?.hasSuffix("need a second approval (!), 1 risky (~); exit status 1") == true, "\(lines)")
    }

    @Test func removingAGrantAloneNeedsNoSecondApproval() throws {
        let project = try Self.edited([
            (#"analyst: { grants: ["read:prod:curated"] }"#, #"analyst: { grants: [] }"#)
        ])
        let (status, lines) = try Self.review(project)
        #expect(status == 0, "\(lines)")
        #expect(lines.contains("  role analyst loses read:prod:curated"))
    }

    @Test func loosenedContractsOnDataThatReachesProd() throws {
        let project = try Self.edited([
            ("amount: { type: decimal, min: 0, max: 10000 }", "amount: { type: decimal, min: -5 }"),
            (
                "status: { type: string, in: [new, paid, shipped, cancelled] }",
                "status: { type: string, in: [new, paid, shipped, cancelled, lost] }"
            ),
            ("      - { row_count: { min: 1 } }\n", ""),
            ("order_id: { type: int, required: true, unique: true }", "order_id: { type: int, unique: true }"),
            ("max_invalid_ratio: 0.01", "max_invalid_ratio: 0.2"),
        ])
        let (status, lines) = try Self.review(project)
        #expect(status == 1)
        let contract = try #require(lines.first { $0.hasPrefix("! contract of raw.orders loosened: ") }, "\(lines)")
        for part in [
            "amount: range minimum -5.0 (was 0.0)", "amount: range maximum removed (was 10000.0)",
            "status: accepts lost too", "check row_count removed", "order_id: no longer required",
            "max_invalid_ratio 0.2 (was 0.01)", "it reaches prod",
        ] {
            #expect(contract.contains(part), "\(part) in \(contract)")
        }
    }

    @Test func protectionLifecyclesClassificationAndPII() throws {
        let project = try Self.edited([
            ("prod: { protected: true }", "prod: { lifecycle: { keep: forever } }"),
            ("{ name: raw, lifecycle: { keep: forever } }", "{ name: raw, lifecycle: { keep_days: 30 } }"),
            ("    classification: confidential\n    pii: [email]\n", "    classification: internal\n"),
        ])
        let (status, lines) = try Self.review(project)
        #expect(status == 1)
        #expect(lines.contains("! environment prod is no longer protected"), "\(lines)")
        #expect(lines.contains { $0.hasPrefix("~ zone raw lifecycle shortened: no longer kept forever") })
        #expect(lines.contains("~ raw.customers is classified internal (was confidential): more roles may read it"))
        #expect(lines.contains("~ raw.customers no longer lists email as PII: it is shown unmasked"))
    }

    @Test func jsonForBotsAndTheDefaultBaselineIsThePolicyInForce() throws {
        let project = try Self.edited(
            [
                (
                    #"engineer: { grants: ["read:*", "write:dev", "write:sandbox/*"] }"#,
                    #"engineer: { grants: ["read:*", "write:dev", "write:sandbox/*", "promote:prod"] }"#
                )
            ])
        let result = try project.sluice.run(["plan", "--json"])
        #expect(result.status == 1, "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let review = try #require(object["review"] as? [String: Any])
        #expect((object["changes"] as? [String])?.isEmpty == false, "what sluice apply would change")
        #expect((review["against"] as? String)?.hasPrefix("the policy in force (applied from commit ") == true)
        let changes = try #require(review["changes"] as? [[String: Any]])
        #expect(
            changes.contains {
                $0["kind"] as? String == "protected-write-widened" && $0["risk"] as? String == "blocking"
            })
    }

    @Test func anUnchangedTreeAndHostileRevisions() throws {
        let project = try CLIProject()
        let same = try project.sluice.run(["plan", "--against", "HEAD"])
        #expect(same.status == 0)
        #expect(same.stdout.contains("no changes to access, protection"))
        for revision in ["--output=/tmp/x", "nope-\(UUID().uuidString)", "HEAD\n--help"] {
            let refused = try project.sluice.run(["plan", "--against", revision])
            #expect(refused.status == 2, "\(revision): \(refused.stderr)")
            #expect(!FileManager.default.fileExists(atPath: "/tmp/x"))
        }
    }
}
