import Foundation
import Testing

@testable import SluiceCore

/// Each validation rule, caught on a bad project at the right `file:line:column`.
@Suite struct ProjectValidationTests {
    /// The fixture project with `edits` applied (each `old` must occur in it).
    func errors(_ edits: [(String, String)], extra: [String: String] = [:]) throws -> [String] {
        var yaml = Fixture.projectYAML
        for (old, new) in edits {
            #expect(yaml.contains(old), "fixture lacks \(old)")
            yaml = yaml.replacingOccurrences(of: old, with: new)
        }
        var files = Fixture.files
        files["sluice.yaml"] = yaml
        files.merge(extra) { $1 }
        return try TemporaryProject(files: files).errors()
    }

    func expectError(
        _ errors: [String], _ prefix: String, _ fragment: String,
        sourceLocation: Testing.SourceLocation = #_sourceLocation
    ) {
        #expect(
            errors.contains { $0.hasPrefix(prefix) && $0.contains(fragment) },
            "expected \(prefix) … \(fragment) in:\n\(errors.joined(separator: "\n"))", sourceLocation: sourceLocation)
    }

    @Test func fixtureIsValid() throws {
        #expect(try errors([]).isEmpty)
    }

    @Test func unknownKeyIsAnErrorWithASuggestion() throws {
        let found = try errors([("    classification: confidential", "    clasification: confidential")])
        expectError(
            found, "sluice.yaml:25:5:",
            "unknown key \"clasification\" in dataset raw.orders; did you mean classification?")
        expectError(found, "sluice.yaml:23:3:", "has no classification")
    }

    @Test func wrongValueTypes() throws {
        let found = try errors([
            ("owner: data-eng@example.com\n    classification", "owner: [a, b]\n    classification"),
            ("required: true, unique: true", "required: maybe, unique: true"),
            ("amount: { type: decimal, min: 0 }", "amount: { type: decimal, min: zero }"),
        ])
        expectError(found, "sluice.yaml:24:12:", "owner must be a text value, found a list")
        expectError(found, "sluice.yaml:27:40:", "required must be true or false, found \"maybe\"")
        expectError(found, "sluice.yaml:28:37:", "min must be a number, found \"zero\"")
    }

    @Test func unsafeNamesAreRejected() throws {
        let found = try errors([
            ("  staged.orders: {", "  \"staged.orders;drop\": {"),
            ("  \"sandbox/*\":", "  \"../etc\":"),
            ("  alice: { role: engineer }", "  \"al ice\": { role: engineer }"),
            ("  admin: { grants", "  \"ad/min\": { grants"),
        ])
        expectError(found, "sluice.yaml:29:3:", "dataset name \"staged.orders;drop\" must be zone.name")
        expectError(found, "sluice.yaml:9:3:", "environment \"../etc\" must be lower-case names")
        expectError(found, "sluice.yaml:17:3:", "principal name \"al ice\"")
        expectError(found, "sluice.yaml:14:3:", "role name \"ad/min\"")
    }

    @Test func everyReferenceResolves() throws {
        let found = try errors([
            ("into: raw.orders }", "into: raw.missing }"),
            ("inputs: [raw.orders]", "inputs: [raw.orders, raw.nope]"),
            ("alice: { role: engineer }", "alice: { role: engineerz }"),
            ("\"write:dev\"", "\"write:staging\""),
            ("[\"read:prod:curated\"]", "[\"read:prod:gold\"]"),
        ])
        expectError(found, "sluice.yaml:21:3:", "source orders_drop feeds raw.missing, which is not a declared dataset")
        expectError(found, "sluice.yaml:33:60:", "names dataset raw.nope, which is not declared")
        expectError(found, "sluice.yaml:17:18:", "principal alice has role engineerz, which is not declared")
        expectError(
            found, "sluice.yaml:12:3:",
            "grants write:staging on environment staging, which matches no declared environment")
        expectError(found, "sluice.yaml:13:3:", "grants read:prod:gold on zone gold, which is not declared")
    }

    @Test func cycleIsPrintedInFlowOrder() throws {
        let found = try errors(
            [],
            extra: [
                "pipelines/loop.yaml": """
                loop:
                  steps:
                    a: { command: [cat], inputs: [staged.b], output: staged.a }
                    b: { command: [cat], inputs: [staged.a], output: staged.b }
                """,
                "datasets/loop.yaml": """
                staged.a: { owner: x, classification: internal }
                staged.b: { owner: x, classification: internal }
                """,
            ])
        #expect(
            found.contains {
                $0.hasPrefix("pipelines/loop.yaml:") && $0.contains("the step graph has a cycle: staged.")
            },
            "\(found)")
        let cycle = try #require(found.first { $0.contains("cycle") })
        #expect(cycle.contains("staged.a → staged.b → staged.a") || cycle.contains("staged.b → staged.a → staged.b"))
    }

    @Test func eachDatasetHasExactlyOneWriter() throws {
        let found = try errors([
            (
                "      clean: { sql: models/clean.sql, inputs: [raw.orders], output: staged.orders }",
                "      clean: { sql: models/clean.sql, inputs: [raw.orders], output: staged.orders }\n      again: { sql: models/clean.sql, inputs: [raw.orders], output: staged.orders }"
            )
        ])
        expectError(
            found, "sluice.yaml:29:3:", "dataset staged.orders has 2 writers (step daily.clean, step daily.again)")
    }

    @Test func dataFlowsForwardOnly() throws {
        let found = try errors(
            [
                (
                    "inputs: [raw.orders], output: staged.orders }",
                    "inputs: [raw.orders], output: staged.orders }\n      back: { sql: models/clean.sql, inputs: [curated.report], output: staged.back }\n      raw: { sql: models/clean.sql, inputs: [staged.orders], output: raw.again }"
                )
            ],
            extra: [
                "datasets/more.yaml": """
                curated.report: { owner: x, classification: internal }
                staged.back: { owner: x, classification: internal }
                raw.again: { owner: x, classification: internal }
                """
            ])
        expectError(
            found, "sluice.yaml:34:", "writes staged.back in zone staged from zone curated; data only flows forward")
        expectError(found, "sluice.yaml:35:", "writes raw.again in the first zone raw; only ingestion writes it")
    }

    @Test func everythingHasALifecycleOwnerAndClassification() throws {
        let found = try errors([
            ("  - { name: curated, lifecycle: { keep_versions: 30, keep_days: 365 } }", "  - { name: curated }"),
            ("  dev: { lifecycle: { expire_after_idle: 30d } }", "  dev: {}"),
            (
                "  staged.orders: { owner: data-eng@example.com, classification: internal }",
                "  staged.orders: { classification: internal }"
            ),
        ])
        expectError(found, "sluice.yaml:5:5:", "zone curated has no lifecycle")
        expectError(found, "sluice.yaml:8:3:", "environment dev has no lifecycle")
        expectError(found, "sluice.yaml:29:3:", "dataset staged.orders has no owner")
    }

    @Test func filesNamedByStepsExist() throws {
        let found = try errors([("sql: models/clean.sql", "sql: models/missing.sql")])
        expectError(
            found, "sluice.yaml:33:7:", "step daily.clean runs SQL file models/missing.sql, which does not exist")
    }

    @Test func contractsThatCannotWorkAreRejected() throws {
        let found = try errors([
            (
                "amount: { type: decimal, min: 0 }",
                "amount: { type: money, min: 0 }\n      code: { type: string, pattern: '([a-z' }\n      qty: { type: int, min: 5, max: 1 }"
            )
        ])
        expectError(found, "sluice.yaml:28:23:", "unknown type \"money\" for column amount")
        expectError(found, "sluice.yaml:29:", "is not a valid regular expression")
        expectError(found, "sluice.yaml:30:", "min 5.0 greater than max 1.0")
    }

    @Test func yamlSyntaxErrorHasItsLine() throws {
        let found = try errors([("  dev: { lifecycle: { expire_after_idle: 30d } }", "  dev: { lifecycle: [ }")])
        #expect(found.count == 1)
        #expect(found.first?.hasPrefix("sluice.yaml:8:") == true, "\(found)")
        #expect(found.first?.contains("invalid YAML") == true)
    }

    @Test func problemsInEveryFileAreReportedAtOnce() throws {
        let found = try errors(
            [("into: raw.orders }", "into: raw.missing }")],
            extra: ["datasets/extra.yaml": "raw.more:\n  owner: x\n  classification: secret\n"])
        expectError(found, "sluice.yaml:21:3:", "raw.missing")
        expectError(found, "datasets/extra.yaml:3:19:", "classification \"secret\" is not one of")
    }

    @Test func duplicateKeysAreErrors() throws {
        let found = try errors([("  bob: { role: analyst }", "  bob: { role: analyst }\n  bob: { role: admin }")])
        expectError(found, "sluice.yaml:18:3:", "duplicate key bob in one mapping")
    }
}
