import Foundation
import Testing

@testable import SluiceCore

/// Issue 15 item 1: each policy finding is triggered by a project crafted for it and absent from a clean one;
/// the layout keeps edges from crossing and boxes from overlapping, for 5 datasets and for 200.
@Suite struct DiagramFindingsTests {
    static let clean = """
        project: shop
        zones:
          - { name: raw, lifecycle: { keep: forever } }
          - { name: staged, lifecycle: { keep_versions: 10 } }
          - { name: curated, lifecycle: { keep_versions: 30 } }
        environments:
          prod: { protected: true }
          dev: { lifecycle: { expire_after_idle: 30d } }
        roles:
          pipeline: { grants: ["read:*", "write:*", "promote:prod", "delete:*"] }
          engineer: { grants: ["read:*", "write:dev"] }
          analyst: { grants: ["read:prod:curated"], classification: internal }
        principals:
          ci: { role: pipeline }
          alice: { role: engineer }
          bob: { role: analyst }
        service: { run_as: ci }
        sources:
          orders_drop: { path: landing/orders/*.csv, format: csv, into: raw.orders }
        datasets:
          raw.orders:
            owner: data@example.com
            classification: confidential
            pii: [email]
            columns: { order_id: { type: int }, email: { type: string }, amount: { type: decimal } }
          curated.revenue:
            owner: data@example.com
            classification: internal
            columns: { total: { type: decimal } }
        pipelines:
          daily:
            steps:
              revenue: { sql: models/revenue.sql, inputs: [raw.orders], output: curated.revenue }
        quarantine: { lifecycle: { keep_days: 30 } }
        runs: { lifecycle: { keep_days: 90 } }

        """

    static func model(_ yaml: String, environment: String = "prod") throws -> DataFlowModel {
        let folder = try TemporaryProject(files: [
            "sluice.yaml": yaml, "models/revenue.sql": "SELECT sum(amount) AS total FROM raw.orders\n",
            "models/back.sql": "SELECT * FROM curated.revenue\n",
        ])
        let project = try #require(try folder.load().0)
        return DataFlowModel(project: project, environment: environment)
    }

    func kinds(_ yaml: String) throws -> Set<PolicyFinding.Kind> { Set(try Self.model(yaml).findings.map(\.kind)) }

    @Test func aCleanProjectHasNoFindings() throws {
        let model = try Self.model(Self.clean)
        #expect(model.findings.isEmpty, "\(model.findings)")
        #expect(!model.nodes.contains(where: \.flagged) && !model.edges.contains(where: \.flagged))
        let revenue = try #require(model.node("dataset:curated.revenue"))
        #expect(
            revenue.details == ["internal", "keep 30 versions", "read: analyst, engineer, pipeline", "write: pipeline"])
        #expect(model.node("dataset:raw.orders")?.details.first == "confidential · PII: email")
        #expect(model.node("step:daily.revenue")?.details == ["run by ci"])
        #expect(
            try Self.model(Self.clean, environment: "dev").node("dataset:curated.revenue")?.details.last
                == "write: engineer, pipeline")
    }

    @Test func anotherPrincipalAbleToChangeProtected() throws {
        let yaml = Self.clean.replacingOccurrences(
            of: #"engineer: { grants: ["read:*", "write:dev"] }"#,
            with: #"engineer: { grants: ["read:*", "write:dev", "write:prod"] }"#)
        let model = try Self.model(yaml)
        #expect(Set(model.findings.map(\.kind)) == [.protectedWriter])
        #expect(
            model.findings.first?.message
                == "alice (role engineer) may write protected prod; only ci, the pipeline, should")
        #expect(model.node("dataset:curated.revenue")?.flagged == true)
    }

    @Test func sensitiveDataReadableByAReader() throws {
        let unmasked = Self.clean.replacingOccurrences(
            of: #"analyst: { grants: ["read:prod:curated"], classification: internal }"#,
            with:
                #"analyst: { grants: ["read:prod:curated", "read:prod:raw", "unmask:prod:raw"], classification: confidential }"#
        )
        let model = try Self.model(unmasked)
        #expect(Set(model.findings.map(\.kind)) == [.sensitiveReadable])
        #expect(model.findings.first?.message.contains("sees the PII of raw.orders (email) unmasked in prod") == true)
        let restricted = Self.clean.replacingOccurrences(
            of: "classification: internal\n    columns: { total",
            with: "classification: restricted\n    columns: { total"
        )
        .replacingOccurrences(of: "classification: internal }", with: "classification: restricted }")
        #expect(try kinds(restricted) == [.sensitiveReadable])
    }

    @Test func aPathIntoProtectedThatSkipsAGate() throws {
        let yaml = Self.clean.replacingOccurrences(
            of: "    columns: { order_id: { type: int }, email: { type: string }, amount: { type: decimal } }\n",
            with: "")
        let model = try Self.model(yaml)
        #expect(Set(model.findings.map(\.kind)) == [.ungatedPath])
        #expect(
            model.findings.first?.message
                == "curated.revenue reaches prod through data no gate checks: raw.orders has no contract")
        #expect(model.edges.filter(\.flagged).map(\.to).sorted() == ["dataset:curated.revenue", "step:daily.revenue"])
    }

    @Test func anOutputWithoutAContract() throws {
        let yaml = Self.clean.replacingOccurrences(of: "    columns: { total: { type: decimal } }\n", with: "")
            .replacingOccurrences(of: "prod: { protected: true }", with: "prod: { lifecycle: { keep: forever } }")
        #expect(try kinds(yaml) == [.outputWithoutContract])
        // Where a protected environment exists, the same output is also a path that skips a gate.
        let protected = Self.clean.replacingOccurrences(of: "    columns: { total: { type: decimal } }\n", with: "")
        #expect(try kinds(protected) == [.outputWithoutContract, .ungatedPath])
    }

    @Test func aDatasetNothingReads() throws {
        let yaml = Self.clean.replacingOccurrences(
            of: "  curated.revenue:\n",
            with:
                "  staged.unused:\n    owner: data@example.com\n    classification: internal\n    columns: { a: { type: int } }\n  curated.revenue:\n"
        )
        let model = try Self.model(yaml)
        #expect(Set(model.findings.map(\.kind)) == [.unreadDataset])
        #expect(model.node("dataset:staged.unused")?.flagged == true)
    }

    @Test func aFlowAgainstTheZoneOrder() throws {
        let revenue = "      revenue: { sql: models/revenue.sql, inputs: [raw.orders], output: curated.revenue }\n"
        #expect(Self.clean.contains(revenue))
        let back = "      back: { sql: models/back.sql, inputs: [curated.revenue], output: staged.back }\n"
        let yaml = Self.clean.replacingOccurrences(
            of: revenue, with: revenue + back
        ).replacingOccurrences(
            of: "  curated.revenue:\n",
            with:
                "  staged.back:\n    owner: data@example.com\n    classification: internal\n    columns: { total: { type: decimal } }\n  curated.revenue:\n"
        )
        let model = try Self.model(yaml)
        #expect(Set(model.findings.map(\.kind)).contains(.backwardFlow), "\(model.findings)")
        #expect(
            model.findings.contains {
                $0.message.hasPrefix("daily.back writes staged.back (zone staged) from curated.revenue")
            })
        #expect(
            model.edges.contains { $0.from == "dataset:curated.revenue" && $0.to == "step:daily.back" && $0.flagged })
    }

    /// A generated project: `count` datasets in three zones, each staged and curated one made from one or two
    /// of the zone before.
    static func generated(_ count: Int) -> String {
        var yaml = Self.clean.components(separatedBy: "sources:\n")[0] + "sources:\n"
        let perZone = count / 3
        for index in 0..<perZone {
            yaml += "  drop\(index): { path: landing/d\(index)/*.csv, format: csv, into: raw.d\(index) }\n"
        }
        yaml += "datasets:\n"
        for zone in ["raw", "staged", "curated"] {
            for index in 0..<perZone {
                yaml += "  \(zone).d\(index): { owner: o, classification: internal, columns: { a: { type: int } } }\n"
            }
        }
        yaml += "pipelines:\n  gen:\n    steps:\n"
        for (zone, from) in [("staged", "raw"), ("curated", "staged")] {
            for index in 0..<perZone {
                let inputs = ["\(from).d\((index * 7) % perZone)", "\(from).d\((index * 7 + 3) % perZone)"]
                yaml +=
                    "      \(zone)_\(index): { sql: models/revenue.sql, inputs: [\(Set(inputs).sorted().joined(separator: ", "))], output: \(zone).d\(index) }\n"
            }
        }
        return yaml + "quarantine: { lifecycle: { keep_days: 30 } }\nruns: { lifecycle: { keep_days: 90 } }\n"
    }

    @Test(arguments: [6, 201]) func theLayoutCrossesLittleAndNeverOverlaps(_ count: Int) throws {
        let model = try Self.model(Self.generated(count))
        #expect(model.nodes.filter { $0.kind == .dataset }.count == count)
        let layout = DiagramLayout(model: model)
        #expect(layout.compact == (count > 40))
        // Boxes in one column never overlap, and every node is placed.
        #expect(layout.boxes.keys.filter { !$0.hasPrefix("~") }.count == model.nodes.count)
        for column in layout.columns {
            let boxes = column.compactMap { layout.boxes[$0] }.sorted { $0.y < $1.y }
            for (upper, lower) in zip(boxes, boxes.dropFirst()) { #expect(upper.y + upper.height <= lower.y) }
        }
        // The barycentre order crosses fewer edges than the names' order.
        let byName = DiagramLayout(model: model, compactAbove: 40, ordered: false)
        #expect(
            layout.crossings(model) <= byName.crossings(model),
            "\(layout.crossings(model)) vs \(byName.crossings(model))")
        if count > 40 { #expect(layout.crossings(model) < byName.crossings(model) * 3 / 4) }
    }
}
